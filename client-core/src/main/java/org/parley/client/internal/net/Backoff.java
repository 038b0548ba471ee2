package org.parley.client.internal.net;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of min(max, base·2ⁿ), so
 * clients that lost the same server do not come back in lockstep.
 */
public record Backoff(Duration base, Duration max) {

  public Duration delay(int attempt, RandomGenerator random) {
    long cap = max.toMillis();
    long exp = base.toMillis() << Math.min(attempt, 20);
    long ceiling = Math.min(cap, exp <= 0 ? cap : exp);
    long half = ceiling / 2;
    return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(half + 1)));
  }
}
