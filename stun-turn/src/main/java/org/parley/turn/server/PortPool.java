package org.parley.turn.server;

import java.security.SecureRandom;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Relay ports in [min-port, max-port] that this server is using or holding back for a RESERVATION-TOKEN
 * (RFC 8656 section 7.2, EVEN-PORT with the R bit). Picks ports at random (RFC 8656 section 21.2 recommends
 * unpredictable relay ports). Thread-safe.
 */
final class PortPool {
  /** How long a reserved port is held for the second Allocate (RFC 8656 section 7.2: about 30 seconds). */
  static final long RESERVATION_MILLIS = 30_000;

  private final int min;
  private final int max;
  private final BitSet used = new BitSet();
  private final Map<Long, Reservation> reservations = new HashMap<>();
  private final SecureRandom random = new SecureRandom();

  private record Reservation(int port, long expiresAtMillis) {}

  PortPool(int min, int max) {
    this.min = min;
    this.max = max;
  }

  /** Takes a free port; if {@code even}, an even one; if {@code pair}, an even one whose successor is free too. */
  synchronized OptionalInt take(boolean even, boolean pair) {
    int span = max - min + 1;
    int start = random.nextInt(span);
    for (int i = 0; i < span; i++) {
      int port = min + (start + i) % span;
      if ((even || pair) && port % 2 != 0) {
        continue;
      }
      if (used.get(port)) {
        continue;
      }
      if (pair && (port + 1 > max || used.get(port + 1))) {
        continue;
      }
      used.set(port);
      if (pair) {
        used.set(port + 1);
      }
      return OptionalInt.of(port);
    }
    return OptionalInt.empty();
  }

  synchronized void release(int port) {
    used.clear(port);
  }

  /** Holds {@code port} (already taken) under a new random token. */
  synchronized long reserve(int port, long nowMillis) {
    long token;
    do {
      token = random.nextLong();
    } while (reservations.containsKey(token));
    reservations.put(token, new Reservation(port, nowMillis + RESERVATION_MILLIS));
    return token;
  }

  /** The reserved port for a token, removing the reservation; empty if unknown or expired. */
  synchronized OptionalInt redeem(long token, long nowMillis) {
    Reservation r = reservations.remove(token);
    if (r == null) {
      return OptionalInt.empty();
    }
    if (r.expiresAtMillis() <= nowMillis) {
      used.clear(r.port());
      return OptionalInt.empty();
    }
    return OptionalInt.of(r.port());
  }

  /** Frees the ports of expired reservations. */
  synchronized void expire(long nowMillis) {
    for (Iterator<Reservation> it = reservations.values().iterator(); it.hasNext(); ) {
      Reservation r = it.next();
      if (r.expiresAtMillis() <= nowMillis) {
        used.clear(r.port());
        it.remove();
      }
    }
  }

  synchronized int inUse() {
    return used.cardinality();
  }
}
