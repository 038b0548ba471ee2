package org.parley.client.internal.calls;

import java.time.Instant;
import org.parley.client.api.calls.CallException;
import org.parley.protocol.IceServers;

/** Whether the server's ICE servers can carry a call, refused with a sentence that says what to check. */
final class IceServersCheck {

  /** TURN credentials that expire this soon would not outlive setting up the call. */
  private static final long MARGIN_SECONDS = 5;

  private IceServersCheck() {}

  /**
   * Returns {@code ice}, unless its TURN credentials have expired (a clock out of step, or a server's too short
   * credential lifetime) or the call is relay only and there is no TURN server to relay through.
   */
  static IceServers usable(IceServers ice, boolean relayOnly, Instant now) throws CallException {
    if (ice.getServersCount() > 0 && ice.getExpiresAt() != 0) {
      Instant expires = Instant.ofEpochMilli(ice.getExpiresAt());
      if (!expires.isAfter(now.plusSeconds(MARGIN_SECONDS))) {
        throw new CallException("The TURN credentials from the server expired at " + expires + " (now " + now
            + "): check the clocks of this computer and the server, and the server's turn.credential-ttl");
      }
    }
    boolean hasTurn = ice.getServersList().stream().flatMap(s -> s.getUrlsList().stream())
        .anyMatch(u -> u.startsWith("turn:") || u.startsWith("turns:"));
    if (relayOnly && !hasTurn) {
      throw new CallException("A relay-only call needs a TURN server, and the server offers none");
    }
    return ice;
  }
}
