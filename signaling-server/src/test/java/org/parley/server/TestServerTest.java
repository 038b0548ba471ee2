package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.server.support.Api;
import org.parley.server.support.TestServer;

/** The one server starter for tests: restarts keep port, data and clock; bad set-up is refused clearly. */
class TestServerTest {

  @Test
  void aRestartKeepsPortDataAndClockAndTheUrlHoldsWhileStopped() throws Exception {
    try (TestServer server = TestServer.start()) {
      Api.Device alice = server.api.register("+15557770001");
      int port = server.port();
      server.clock.advance(Duration.ofHours(1));
      server.stop();
      // Not probed while stopped: on a shared machine another process may take the freed port meanwhile.
      assertThat(server.url().toString()).isEqualTo("http://127.0.0.1:" + port);

      server.restart();
      assertThat(server.port()).isEqualTo(port);
      assertThat(server.api.call("GET", "/v1/accounts/me", null, alice).status()).isEqualTo(200);
      assertThat(server.server().queue()).isSameAs(server.queue());
      assertThat(server.clock.millis()).isGreaterThan(System.currentTimeMillis() + Duration.ofMinutes(59).toMillis());
      assertThat(server.queued()).isZero();
    }
  }

  @Test
  void turnIsOffUnlessAskedForAndSettingsOverrideTheDefaults() throws Exception {
    try (TestServer plain = TestServer.start(Map.of("PARLEY_MESSAGES_MAX_CONTENT_BYTES", "4000"))) {
      assertThat(plain.server().config().turn().embedded()).isFalse();
      assertThat(plain.server().config().maxContentBytes()).isEqualTo(4000);
      assertThat(plain.server().config().passwordHashIterations()).isEqualTo(1000);
    }
    try (TestServer withTurn = TestServer.builder().turn(true).start()) {
      assertThat(withTurn.server().config().turn().embedded()).isTrue();
      assertThat(withTurn.server().config().turn().allowLoopbackPeers()).isTrue();
    }
  }

  @Test
  void badSetUpAndUnknownNumbersGetClearErrors() throws Exception {
    assertThatThrownBy(() -> TestServer.builder().setting("SERVER_PORT", "1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PARLEY_");
    try (TestServer server = TestServer.start()) {
      server.api.register("+15557770002");
      assertThatThrownBy(() -> server.lastCode("+15557770003")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no code sent to +15557770003");
    }
  }
}
