package org.parley.turn.server;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Optional;
import org.parley.turn.attribute.Lifetime;

/** The values request handlers need, taken from the configuration once at start. */
record Settings(
    InetAddress relayIp,
    InetAddress advertisedIp,
    long defaultLifetimeSeconds,
    long maxLifetimeSeconds,
    long permissionLifetimeMillis,
    long channelLifetimeMillis,
    long maxBps,
    Clock clock) {

  /**
   * The lifetime to grant (RFC 8656 sections 7.2 and 7.3): the default when none is asked for or less than the
   * default is asked for, never more than the maximum; 0 stays 0 on Refresh (delete).
   */
  long grantedLifetimeSeconds(Optional<Lifetime> requested, boolean refresh) {
    if (requested.isEmpty()) {
      return defaultLifetimeSeconds;
    }
    long asked = requested.get().seconds();
    if (refresh && asked == 0) {
      return 0;
    }
    return Math.min(Math.max(asked, defaultLifetimeSeconds), maxLifetimeSeconds);
  }
}
