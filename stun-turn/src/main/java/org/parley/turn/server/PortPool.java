package org.parley.turn.server;

import io.netty.channel.Channel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Relay ports in [min-port, max-port] that this server is using or holding back for a RESERVATION-TOKEN
 * (RFC 8656 section 7.2, EVEN-PORT with the R bit). Picks ports at random (RFC 8656 section 21.2 recommends
 * unpredictable relay ports). A reserved port is held by an open socket, so no other process can take it before
 * the second Allocate redeems the token. Thread-safe.
 */
final class PortPool {
  /** How long a reserved port is held for the second Allocate (RFC 8656 section 7.2: about 30 seconds). */
  static final long RESERVATION_MILLIS = 30_000;

  private final int min;
  private final int max;
  private final BitSet used = new BitSet();
  private final Map<Long, Reservation> reservations = new HashMap<>();
  private final SecureRandom random = new SecureRandom();

  /** A bound, idle relay socket waiting for its token; {@code owner} is what its packet handler will look at. */
  record Reservation(int port, long expiresAtMillis, Channel channel, AtomicReference<Allocation> owner) {}

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

  /** Holds {@code port} (taken, with {@code channel} bound to it) under a new random token. */
  synchronized long reserve(int port, Channel channel, AtomicReference<Allocation> owner, long nowMillis) {
    long token;
    do {
      token = random.nextLong();
    } while (token == 0 || reservations.containsKey(token));
    reservations.put(token, new Reservation(port, nowMillis + RESERVATION_MILLIS, channel, owner));
    return token;
  }

  /** The reservation for a token, removing it; empty if unknown or expired (an expired one is closed). */
  Optional<Reservation> redeem(long token, long nowMillis) {
    Reservation r;
    synchronized (this) {
      r = reservations.remove(token);
    }
    if (r == null) {
      return Optional.empty();
    }
    if (r.expiresAtMillis() <= nowMillis) {
      r.channel().close(); // its close listener gives the port back
      return Optional.empty();
    }
    return Optional.of(r);
  }

  /** Closes the sockets of expired reservations; their ports return to the pool as they close. */
  void expire(long nowMillis) {
    List<Reservation> expired = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Reservation> it = reservations.values().iterator(); it.hasNext(); ) {
        Reservation r = it.next();
        if (r.expiresAtMillis() <= nowMillis) {
          expired.add(r);
          it.remove();
        }
      }
    }
    expired.forEach(r -> r.channel().close());
  }

  /** Closes every reserved socket (server shutdown). */
  void closeAll() {
    expire(Long.MAX_VALUE);
  }

  synchronized int inUse() {
    return used.cardinality();
  }
}
