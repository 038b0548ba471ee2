package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.PresenceEvent;
import org.parley.protocol.SendMessageRequest;
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
    // Bob's presence is visible to those he has written to (ADR 0170).
    send(bob, alice);
  }

  private void send(Api.Device from, Api.Device to) {
    Api.Response sent = server.api.call("PUT", "/v1/messages/" + to.accountId(), SendMessageRequest.newBuilder()
        .setTimestamp(System.currentTimeMillis())
        .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
            .setDestinationRegistrationId(to.registrationId()).setContent(WsClient.bytes("hello")))
        .build(), from);
    assertThat(sent.status()).isEqualTo(200);
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
      // Bob's message from the set-up comes first, then "queue empty".
      WebSocketRequest first = aliceWs.nextServerRequest(WAIT);
      assertThat(first.getPath()).isEqualTo("/api/v1/message");
      aliceWs.answer(first, 200);
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

  @Test
  void presenceIsVisibleOnlyToThoseTheAccountHasWrittenToAndDeviceListsOnlyToItself() throws Exception {
    Api.Device carol = server.api.register("+15554440003");
    // Carol is a stranger to Alice: no presence, no subscription, no device list.
    Api.Response polled = server.api.call("GET", "/v1/presence/" + alice.accountId(), null, carol);
    assertThat(polled.status()).isEqualTo(403);
    assertThat(polled.error().getCode()).isEqualTo("presence_not_shared");
    assertThat(server.api.call("GET", "/v1/devices/" + alice.accountId(), null, carol).status()).isEqualTo(403);
    try (WsClient carolWs = WsClient.connect(server.webSocketUri(), carol)) {
      assertThat(carolWs.request("PUT", "/v1/presence/subscriptions/" + alice.accountId(), null).getStatus())
          .isEqualTo(403);
    }
    // Writing to Alice does not show Carol Alice's presence; Alice writing to Carol does.
    send(carol, alice);
    assertThat(server.api.call("GET", "/v1/presence/" + alice.accountId(), null, carol).status()).isEqualTo(403);
    send(alice, carol);
    assertThat(server.api.call("GET", "/v1/presence/" + alice.accountId(), null, carol).status()).isEqualTo(200);
    // Everyone sees their own.
    assertThat(server.api.call("GET", "/v1/presence/" + carol.accountId(), null, carol).status()).isEqualTo(200);
    assertThat(server.api.call("GET", "/v1/devices/" + carol.accountId(), null, carol).status()).isEqualTo(200);
  }

  private static PresenceEvent presence(WebSocketRequest request) throws Exception {
    assertThat(request).isNotNull();
    assertThat(request.getPath()).isEqualTo("/api/v1/presence");
    return PresenceEvent.parseFrom(request.getBody());
  }
}
