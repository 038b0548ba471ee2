package org.parley.server.registration;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.server.api.ApiException;

/**
 * Exponential backoff of verification sessions per number (issue #17, finding 9). The first {@code freeSessions}
 * come at once (a typo, a late SMS); then each next one waits twice as long as the one before, from {@code base} up
 * to a day. A number forgets its count after a week without sessions, or when it registers. At the defaults
 * (3 free, 1 minute) someone guessing codes gets about 13 sessions the first day and one a day after: ~40 sessions,
 * ~200 guesses of a 6-digit code in a month (0.02 %), where a flat 3 per 10 minutes allowed ~65,000.
 */
final class VerificationBackoff {

  private static final Duration MAX_WAIT = Duration.ofDays(1);
  private static final Duration FORGET_AFTER = Duration.ofDays(7);
  /** Memory bound: past this many numbers, those quiet for a week are dropped; then, if still full, all. */
  private static final int MAX_NUMBERS = 100_000;

  private record State(int sessions, long lastStart) {}

  private final Duration base;
  private final int freeSessions;
  private final Clock clock;
  private final Map<String, State> numbers = new ConcurrentHashMap<>();

  VerificationBackoff(Duration base, int freeSessions, Clock clock) {
    if (base.isNegative() || freeSessions < 1) {
      throw new IllegalArgumentException("backoff base must be >= 0 and free sessions >= 1");
    }
    this.base = base;
    this.freeSessions = freeSessions;
    this.clock = clock;
  }

  /** Counts a new session for {@code number}, or refuses it with 429 and how long to wait. */
  void start(String number) throws ApiException {
    long now = clock.millis();
    if (numbers.size() >= MAX_NUMBERS) {
      numbers.values().removeIf(s -> now - s.lastStart() >= FORGET_AFTER.toMillis());
      if (numbers.size() >= MAX_NUMBERS) {
        numbers.clear();
      }
    }
    long[] waitMillis = {0};
    numbers.compute(number, (n, state) -> {
      if (state == null || now - state.lastStart() >= FORGET_AFTER.toMillis()) {
        return new State(1, now);
      }
      long wait = waitAfter(state.sessions());
      if (now < state.lastStart() + wait) {
        waitMillis[0] = state.lastStart() + wait - now;
        return state;
      }
      return new State(state.sessions() + 1, now);
    });
    if (waitMillis[0] > 0) {
      throw ApiException.rateLimited("verification codes for this number", (waitMillis[0] + 999) / 1000);
    }
  }

  /** How long after the {@code sessions}-th session the next may start. */
  long waitAfter(int sessions) {
    if (sessions < freeSessions) {
      return 0;
    }
    int doublings = Math.min(sessions - freeSessions, 40);
    long wait = base.toMillis() << doublings;
    return wait < 0 || wait > MAX_WAIT.toMillis() ? MAX_WAIT.toMillis() : wait;
  }

  /** The number registered: its next session is free again. */
  void forget(String number) {
    numbers.remove(number);
  }
}
