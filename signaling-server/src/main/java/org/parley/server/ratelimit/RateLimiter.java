package org.parley.server.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.server.api.ApiException;

/**
 * A token bucket per key: {@code capacity} requests at once, then one more every {@code refillEvery}. Refusals are
 * 429 with the seconds until the next token.
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
    this.what = what;
    this.limit = limit;
    this.clock = clock;
  }

  public void check(String key) throws ApiException {
    long now = clock.millis();
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
