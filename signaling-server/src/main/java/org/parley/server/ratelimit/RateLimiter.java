package org.parley.server.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.server.api.ApiException;

/**
 * A token bucket per key: {@code capacity} requests at once, then one more every {@code refillEvery}. Refusals are
 * 429 with the seconds until the next token. With {@link SharedLimits} (a cluster) the buckets are the cluster's,
 * and this server's own only while those cannot be reached.
 */
public final class RateLimiter {

  /** How many at once, and how fast the allowance comes back. */
  public record Limit(int capacity, Duration refillEvery) {
    public Limit {
      if (capacity < 1 || refillEvery.isNegative() || refillEvery.isZero()) {
        throw new IllegalArgumentException("rate limit needs capacity >= 1 and a positive refill period");
      }
    }
  }

  private static final int SWEEP_THRESHOLD = 100_000;

  private final String what;
  private final Limit limit;
  private final Clock clock;
  private final SharedLimits shared;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long updatedMillis;

    Bucket(double tokens, long updatedMillis) {
      this.tokens = tokens;
      this.updatedMillis = updatedMillis;
    }
  }

  /** @param what plural noun for the error message, e.g. "verification requests for this number" */
  public RateLimiter(String what, Limit limit, Clock clock) {
    this(what, limit, clock, null);
  }

  /** @param shared the cluster's buckets, or null for this server's own */
  public RateLimiter(String what, Limit limit, Clock clock, SharedLimits shared) {
    this.what = what;
    this.limit = limit;
    this.clock = clock;
    this.shared = shared;
  }

  public void check(String key) throws ApiException {
    long now = clock.millis();
    if (shared != null) {
      OptionalLong wait = shared.acquire(sharedBucket(key), limit, now, true);
      if (wait.isPresent()) {
        refuseIfWaiting(wait.getAsLong());
        return;
      }
    }
    if (buckets.size() > SWEEP_THRESHOLD) {
      buckets.values().removeIf(b -> refill(b, now) >= limit.capacity());
    }
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(limit.capacity(), now));
    synchronized (bucket) {
      refill(bucket, now);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return;
      }
      double missing = 1 - bucket.tokens;
      long waitMillis = (long) Math.ceil(missing * limit.refillEvery().toNanos() / 1_000_000.0);
      throw ApiException.rateLimited(what, Math.max(1, (waitMillis + 999) / 1000));
    }
  }

  /**
   * For allowances spent only on failure (failed logins): whether {@code key} has one left, spending nothing.
   * {@link ApiException} 429 with the wait when it has none.
   */
  public void requireAllowance(String key) throws ApiException {
    if (shared != null) {
      OptionalLong wait = shared.acquire(sharedBucket(key), limit, clock.millis(), false);
      if (wait.isPresent()) {
        refuseIfWaiting(wait.getAsLong());
        return;
      }
    }
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      return;
    }
    synchronized (bucket) {
      if (refill(bucket, clock.millis()) < 1) {
        double missing = 1 - bucket.tokens;
        long waitMillis = (long) Math.ceil(missing * limit.refillEvery().toNanos() / 1_000_000.0);
        throw ApiException.rateLimited(what, Math.max(1, (waitMillis + 999) / 1000));
      }
    }
  }

  /** Whether {@code key} has an allowance left, spending nothing. */
  public boolean allows(String key) {
    try {
      requireAllowance(key);
      return true;
    } catch (ApiException spent) {
      return false;
    }
  }

  /** Spends one allowance of {@code key} if it has one (what {@link #check} does, without refusing). */
  public void charge(String key) {
    try {
      check(key);
    } catch (ApiException alreadySpent) {
      // nothing left to spend: the next requireAllowance refuses
    }
  }

  /** Named by what it limits (each limiter's "what" differs) and the key. */
  private String sharedBucket(String key) {
    return what + "|" + key;
  }

  private void refuseIfWaiting(long waitMillis) throws ApiException {
    if (waitMillis > 0) {
      throw ApiException.rateLimited(what, Math.max(1, (waitMillis + 999) / 1000));
    }
  }

  private double refill(Bucket bucket, long now) {
    synchronized (bucket) {
      long elapsed = Math.max(0, now - bucket.updatedMillis);
      bucket.tokens = Math.min(limit.capacity(),
          bucket.tokens + elapsed * 1_000_000.0 / limit.refillEvery().toNanos());
      bucket.updatedMillis = now;
      return bucket.tokens;
    }
  }
}
