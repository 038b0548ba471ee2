package org.parley.server.registration;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.parley.server.api.ApiException;
import org.parley.server.storage.VerificationSessions;
import org.parley.server.storage.VerificationSessions.Backoff;

/**
 * Exponential backoff of verification sessions per number (issue #17, finding 9). The first {@code freeSessions}
 * come at once (a typo, a late SMS); then each next one waits twice as long as the one before, from {@code base} up
 * to a day. A number forgets its count after a week without sessions, or when it registers. At the defaults
 * (3 free, 1 minute) someone guessing codes gets about 13 sessions the first day and one a day after: ~40 sessions,
 * ~200 guesses of a 6-digit code in a month (0.02 %), where a flat 3 per 10 minutes allowed ~65,000.
 *
 * <p>The counts are in the {@link VerificationSessions} store, so every server of a cluster applies the same one; a
 * count changes only if nobody changed it since it was read (servers racing for one number retry).
 */
final class VerificationBackoff {

  private static final Duration MAX_WAIT = Duration.ofDays(1);
  static final Duration FORGET_AFTER = Duration.ofDays(7);
  private static final int MAX_RACES = 20;

  private final VerificationSessions store;
  private final Duration base;
  private final int freeSessions;
  private final Clock clock;

  VerificationBackoff(VerificationSessions store, Duration base, int freeSessions, Clock clock) {
    if (base.isNegative() || freeSessions < 1) {
      throw new IllegalArgumentException("backoff base must be >= 0 and free sessions >= 1");
    }
    this.store = store;
    this.base = base;
    this.freeSessions = freeSessions;
    this.clock = clock;
  }

  /** Counts a new session for {@code number}, or refuses it with 429 and how long to wait. */
  void start(String number) throws ApiException {
    for (int race = 0; race < MAX_RACES; race++) {
      long now = clock.millis();
      Optional<Backoff> state = store.backoff(number);
      Backoff next;
      if (state.isEmpty() || now - state.get().lastStart() >= FORGET_AFTER.toMillis()) {
        next = new Backoff(1, now);
      } else {
        long wait = state.get().lastStart() + waitAfter(state.get().sessions()) - now;
        if (wait > 0) {
          throw ApiException.rateLimited("verification codes for this number", (wait + 999) / 1000);
        }
        next = new Backoff(state.get().sessions() + 1, now);
      }
      if (store.replaceBackoff(number, state, next)) {
        return;
      }
    }
    throw ApiException.rateLimited("verification codes for this number", 1);
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
    store.forgetBackoff(number);
  }
}
