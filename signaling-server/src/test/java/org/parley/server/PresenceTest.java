package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.PresenceEvent;
import org.parley.protocol.WebSocketRequest;
import org.parley.server.support.Api;
import org.parley.server.support.TestServer;
import org.parley.server.support.WsClient;

class PresenceTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private TestServer server;
  private Api.Device alice;
  private Api.Device bob;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    alice = server.api.register("+15554440001");
    bob = server.api.register("+15554440002");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void subscribersHearOnlineAndOfflineAndLastSeenIsKept() throws Exception {
    PresenceEvent never = server.api.call("GET", "/v1/presence/" + bob.accountId(), null, alice)
        .as(PresenceEvent.getDefaultInstance());
    assertThat(never.getOnline()).isFalse();

    try (WsClient aliceWs = WsClient.connect(server.webSocketUri(), alice)) {
      assertThat(aliceWs.nextServerRequest(WAIT).getPath()).isEqualTo("/api/v1/queue/empty");
      assertThat(aliceWs.request("PUT", "/v1/presence/subscriptions/" + bob.accountId(), null).getStatus())
          .isEqualTo(204);

      WsClient bobWs = WsClient.connect(server.webSocketUri(), bob);
      PresenceEvent online = presence(aliceWs.nextServerRequest(WAIT));
      assertThat(online.getAccountId()).isEqualTo(bob.accountId());
      assertThat(online.getOnline()).isTrue();
      assertThat(server.api.call("GET", "/v1/presence/" + bob.accountId(), null, alice)
          .as(PresenceEvent.getDefaultInstance()).getOnline()).isTrue();

      long before = System.currentTimeMillis();
      bobWs.close();
      PresenceEvent offline = presence(aliceWs.nextServerRequest(WAIT));
      assertThat(offline.getOnline()).isFalse();
      assertThat(offline.getLastSeen()).isGreaterThanOrEqualTo(before);

      PresenceEvent polled = server.api.call("GET", "/v1/presence/" + bob.accountId(), null, alice)
          .as(PresenceEvent.getDefaultInstance());
      assertThat(polled.getOnline()).isFalse();
      assertThat(polled.getLastSeen()).isEqualTo(offline.getLastSeen());
    }
  }

  @Test
  void subscriptionsNeedAWebSocketAndAKnownAccount() throws Exception {
    assertThat(server.api.call("PUT", "/v1/presence/subscriptions/" + bob.accountId(), null, alice).status())
        .isEqualTo(400);
    try (WsClient aliceWs = WsClient.connect(server.webSocketUri(), alice)) {
      assertThat(aliceWs.request("PUT", "/v1/presence/subscriptions/nobody", null).getStatus()).isEqualTo(404);
    }
  }

  private static PresenceEvent presence(WebSocketRequest request) throws Exception {
    assertThat(request).isNotNull();
    assertThat(request.getPath()).isEqualTo("/api/v1/presence");
    return PresenceEvent.parseFrom(request.getBody());
  }
}
