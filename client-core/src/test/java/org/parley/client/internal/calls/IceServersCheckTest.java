package org.parley.client.internal.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.client.api.calls.CallException;
import org.parley.protocol.IceServer;
import org.parley.protocol.IceServers;

/** Which ICE server lists can carry a call, and the errors for those that cannot. */
class IceServersCheckTest {

  private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

  private static IceServers servers(long expiresAt, String... urls) {
    return IceServers.newBuilder().setExpiresAt(expiresAt)
        .addServers(IceServer.newBuilder().addAllUrls(List.of(urls)).setUsername("u").setCredential("c"))
        .build();
  }

  @Test
  void currentCredentialsAndServersWithoutExpiryAreUsable() throws CallException {
    IceServers turn = servers(NOW.plusSeconds(600).toEpochMilli(), "stun:h:3478", "turn:h:3478?transport=udp");
    assertThat(IceServersCheck.usable(turn, true, NOW)).isSameAs(turn);
    IceServers stunOnly = servers(0, "stun:h:3478");
    assertThat(IceServersCheck.usable(stunOnly, false, NOW)).isSameAs(stunOnly);
    assertThat(IceServersCheck.usable(IceServers.getDefaultInstance(), false, NOW))
        .isEqualTo(IceServers.getDefaultInstance());
    assertThat(IceServersCheck.usable(servers(0, "turns:h:5349"), true, NOW).getServersCount()).isEqualTo(1);
  }

  @Test
  void credentialsThatExpiredOrExpireWithinFiveSecondsAreRefused() {
    for (long secondsLeft : new long[] {-3600, 0, 5}) {
      IceServers ice = servers(NOW.plusSeconds(secondsLeft).toEpochMilli(), "turn:h:3478");
      assertThatThrownBy(() -> IceServersCheck.usable(ice, false, NOW)).isInstanceOf(CallException.class)
          .hasMessageContaining("TURN credentials from the server expired at")
          .hasMessageContaining("check the clocks");
    }
  }

  @Test
  void aRelayOnlyCallNeedsATurnServer() {
    assertThatThrownBy(() -> IceServersCheck.usable(servers(0, "stun:h:3478"), true, NOW))
        .isInstanceOf(CallException.class).hasMessage(
            "A relay-only call needs a TURN server, and the server offers none");
    assertThatThrownBy(() -> IceServersCheck.usable(IceServers.getDefaultInstance(), true, NOW))
        .isInstanceOf(CallException.class);
  }
}
