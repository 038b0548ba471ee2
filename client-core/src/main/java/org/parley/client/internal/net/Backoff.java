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

  /**
   * Anywhere in {@code [0, window]} ("full jitter"): for the many clients a draining server lets go at the same
   * moment (1001), so they reach the other servers spread over the window rather than in one burst (ADR 0152).
   */
  public static Duration spread(Duration window, RandomGenerator random) {
    long millis = window.toMillis();
    return Duration.ofMillis(millis <= 0 ? 0 : random.nextLong(millis + 1));
  }
}
