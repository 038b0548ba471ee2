package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.DeviceMismatch;
import org.parley.protocol.Envelope;
import org.parley.protocol.MessageList;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.SendMessageResponse;
import org.parley.protocol.WebSocketRequest;
import org.parley.protocol.WebSocketResponse;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.support.Api;
import org.parley.server.support.RawWebSocket;
import org.parley.server.support.TestServer;
import org.parley.server.support.WsClient;

class MessagingTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private TestServer server;
  private Api api;
  private Api.Device alice;
  private Api.Device bob;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    api = server.api;
    alice = api.register("+15552220001");
    bob = api.register("+15552220002");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static SendMessageRequest text(Api.Device to, String text, boolean ephemeral) {
    return SendMessageRequest.newBuilder()
        .setTimestamp(System.currentTimeMillis())
        .setEphemeral(ephemeral)
        .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
            .setDestinationRegistrationId(to.registrationId()).setContent(WsClient.bytes(text)))
        .build();
  }

  private Api.Response send(Api.Device from, Api.Device to, String text) {
    return api.call("PUT", "/v1/messages/" + to.accountId(), text(to, text, false), from);
  }

  private long depth(Api.Device device) {
    return server.queue().depth(new DeviceAddress(device.accountId(), device.deviceId()));
  }

  @Test
  void anOfflineQueueArrivesInOrderAfterConnectingThenQueueEmptyAndIsGoneAfterAck() throws Exception {
    for (int i = 0; i < 300; i++) {
      assertThat(send(alice, bob, "m" + i).status()).isEqualTo(200);
    }
    assertThat(depth(bob)).isEqualTo(300);

    try (WsClient ws = WsClient.connect(server.webSocketUri(), bob)) {
      for (int i = 0; i < 300; i++) {
        WebSocketRequest delivery = ws.nextDelivery(WAIT);
        Envelope envelope = WsClient.envelope(delivery);
        assertThat(envelope.getContent().toStringUtf8()).isEqualTo("m" + i);
        assertThat(envelope.getSourceAccount()).isEqualTo(alice.accountId());
        assertThat(envelope.getSourceNumber()).isEqualTo(alice.number());
        assertThat(envelope.getSourceDevice()).isEqualTo(1);
        assertThat(envelope.getDestinationDevice()).isEqualTo(1);
        assertThat(envelope.getServerGuid()).isNotEmpty();
        assertThat(envelope.getServerTimestamp()).isPositive();
        ws.answer(delivery, 200);
      }
      WebSocketRequest empty = ws.nextServerRequest(WAIT);
      assertThat(empty.getPath()).isEqualTo("/api/v1/queue/empty");
      ws.answer(empty, 200);
      await().atMost(WAIT).until(() -> depth(bob) == 0);
    }
    // Nothing comes back on the next connection.
    try (WsClient ws = WsClient.connect(server.webSocketUri(), bob)) {
      assertThat(ws.nextServerRequest(WAIT).getPath()).isEqualTo("/api/v1/queue/empty");
    }
  }

  @Test
  void anOnlineDeviceGetsTheMessageAtOnceAndTheSenderIsAnsweredAfterStorage() throws Exception {
    try (WsClient ws = WsClient.connect(server.webSocketUri(), bob)) {
      assertThat(ws.nextServerRequest(WAIT).getPath()).isEqualTo("/api/v1/queue/empty");
      Api.Response r = send(alice, bob, "hello");
      assertThat(r.status()).isEqualTo(200);
      SendMessageResponse response = r.as(SendMessageResponse.getDefaultInstance());
      assertThat(response.getServerGuidsList()).hasSize(1);
      WebSocketRequest delivery = ws.nextDelivery(WAIT);
      assertThat(WsClient.envelope(delivery).getServerGuid()).isEqualTo(response.getServerGuids(0));
      ws.answer(delivery, 200);
      await().atMost(WAIT).until(() -> depth(bob) == 0);
    }
  }

  @Test
  void sendingOverTheWebSocketReachesTheSameHandlers() throws Exception {
    try (WsClient aliceWs = WsClient.connect(server.webSocketUri(), alice);
        WsClient bobWs = WsClient.connect(server.webSocketUri(), bob)) {
      WebSocketResponse answer = aliceWs.request("PUT", "/v1/messages/" + bob.accountId(), text(bob, "via ws", false));
      assertThat(answer.getStatus()).isEqualTo(200);
      WebSocketRequest delivery = nextDeliverySkippingControl(bobWs);
      assertThat(WsClient.envelope(delivery).getContent().toStringUtf8()).isEqualTo("via ws");

      WebSocketResponse unknown = aliceWs.request("GET", "/v1/nothing-here", null);
      assertThat(unknown.getStatus()).isEqualTo(404);
    }
  }

  @Test
  void unacknowledgedMessagesComeBackAfterADroppedConnection() throws Exception {
    send(alice, bob, "one");
    send(alice, bob, "two");
    WsClient first = WsClient.connect(server.webSocketUri(), bob);
    WebSocketRequest d1 = first.nextDelivery(WAIT);
    first.answer(d1, 200);
    first.nextDelivery(WAIT); // "two": received, never acknowledged
    await().atMost(WAIT).until(() -> depth(bob) == 1);
    first.abort();

    try (WsClient second = WsClient.connect(server.webSocketUri(), bob)) {
      WebSocketRequest again = second.nextDelivery(WAIT);
      assertThat(WsClient.envelope(again).getContent().toStringUtf8()).isEqualTo("two");
      second.answer(again, 200);
      assertThat(second.nextServerRequest(WAIT).getPath()).isEqualTo("/api/v1/queue/empty");
    }
  }

  @Test
  void aDeviceCanNeitherReadNorAcknowledgeAnotherDevicesMessages() throws Exception {
    Api.Response sent = send(alice, bob, "for bob only");
    String guid = sent.as(SendMessageResponse.getDefaultInstance()).getServerGuids(0);

    // Carol tries to acknowledge Bob's message by its GUID, over HTTP and over her WebSocket.
    Api.Device carol = api.register("+15552220003");
    assertThat(api.call("DELETE", "/v1/messages/" + guid, null, carol).status()).isEqualTo(404);
    try (WsClient carolWs = WsClient.connect(server.webSocketUri(), carol)) {
      assertThat(carolWs.request("DELETE", "/v1/messages/" + guid, null).getStatus()).isEqualTo(404);
      // She cannot poll it either.
      MessageList hers = api.call("GET", "/v1/messages", null, carol).as(MessageList.getDefaultInstance());
      assertThat(hers.getMessagesList()).isEmpty();
      // Nor does anything for Bob reach her connection.
      assertThat(carolWs.nextServerRequest(WAIT).getPath()).isEqualTo("/api/v1/queue/empty");
      assertThat(carolWs.nextServerRequest(Duration.ofMillis(500))).isNull();
    }
    assertThat(depth(bob)).isEqualTo(1);
    MessageList his = api.call("GET", "/v1/messages", null, bob).as(MessageList.getDefaultInstance());
    assertThat(his.getMessagesList()).extracting(Envelope::getServerGuid).containsExactly(guid);
    assertThat(api.call("DELETE", "/v1/messages/" + guid, null, bob).status()).isEqualTo(204);
    assertThat(depth(bob)).isZero();
  }

  @Test
  void aWrongDeviceListGets409WithTheRightOne() {
    SendMessageRequest wrong = SendMessageRequest.newBuilder()
        .setTimestamp(1)
        .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
            .setDestinationRegistrationId(bob.registrationId() + 1).setContent(WsClient.bytes("stale")))
        .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(2)
            .setDestinationRegistrationId(5).setContent(WsClient.bytes("extra")))
        .build();
    Api.Response r = api.call("PUT", "/v1/messages/" + bob.accountId(), wrong, alice);
    assertThat(r.status()).isEqualTo(409);
    DeviceMismatch mismatch = r.as(DeviceMismatch.getDefaultInstance());
    assertThat(mismatch.getStaleDevicesList()).containsExactly(1);
    assertThat(mismatch.getExtraDevicesList()).containsExactly(2);
    assertThat(mismatch.getMissingDevicesList()).isEmpty();
    assertThat(mismatch.getDevicesList()).singleElement()
        .satisfies(d -> assertThat(d.getRegistrationId()).isEqualTo(bob.registrationId()));

    SendMessageRequest missing = SendMessageRequest.newBuilder().setTimestamp(1)
        .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(3)
            .setDestinationRegistrationId(5).setContent(WsClient.bytes("x")))
        .build();
    DeviceMismatch m2 = api.call("PUT", "/v1/messages/" + bob.accountId(), missing, alice)
        .as(DeviceMismatch.getDefaultInstance());
    assertThat(m2.getMissingDevicesList()).containsExactly(1);
    assertThat(m2.getExtraDevicesList()).containsExactly(3);
    assertThat(depth(bob)).as("nothing stored from refused sends").isZero();
  }

  @Test
  void badSendsGetClearErrorsAndStoreNothing() {
    Api.Response unknown = api.call("PUT", "/v1/messages/00000000-0000-0000-0000-000000000000",
        text(bob, "x", false), alice);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error().getCode()).isEqualTo("unknown_recipient");

    Api.Response malformed = api.send("PUT", "/v1/messages/" + bob.accountId(), new byte[] {(byte) 0xff, 0x01, 0x02},
        "application/x-protobuf", alice.basicAuth());
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.error().getCode()).isEqualTo("malformed_body");

    Api.Response oversize = api.call("PUT", "/v1/messages/" + bob.accountId(),
        text(bob, "x".repeat(70 * 1024), false), alice);
    assertThat(oversize.status()).isEqualTo(413);
    assertThat(oversize.error().getCode()).isEqualTo("too_large");

    Api.Response noAuth = api.call("PUT", "/v1/messages/" + bob.accountId(), text(bob, "x", false), null);
    assertThat(noAuth.status()).isEqualTo(401);
    assertThat(depth(bob)).isZero();
  }

  @Test
  void ephemeralMessagesReachOnlyOnlineDevicesAndAreNeverStored() throws Exception {
    Api.Response offline = api.call("PUT", "/v1/messages/" + bob.accountId(), text(bob, "typing", true), alice);
    assertThat(offline.status()).isEqualTo(200);
    // The answer says which devices got it: none (calls turn this into a missed call instead of ringing later).
    assertThat(SendMessageResponse.parseFrom(offline.body()).getDeliveredDevicesList()).isEmpty();
    assertThat(depth(bob)).isZero();
    try (WsClient ws = WsClient.connect(server.webSocketUri(), bob)) {
      assertThat(ws.nextServerRequest(WAIT).getPath()).isEqualTo("/api/v1/queue/empty");
      Api.Response online = api.call("PUT", "/v1/messages/" + bob.accountId(), text(bob, "typing", true), alice);
      assertThat(SendMessageResponse.parseFrom(online.body()).getDeliveredDevicesList()).containsExactly(1);
      Envelope envelope = WsClient.envelope(ws.nextDelivery(WAIT));
      assertThat(envelope.getEphemeral()).isTrue();
      assertThat(envelope.getContent().toStringUtf8()).isEqualTo("typing");
      assertThat(depth(bob)).isZero();
    }
  }

  @Test
  void aSecondConnectionOfTheSameDeviceClosesTheOlderOne() throws Exception {
    WsClient older = WsClient.connect(server.webSocketUri(), bob);
    try (WsClient newer = WsClient.connect(server.webSocketUri(), bob)) {
      assertThat(older.awaitClose().code()).isEqualTo(4001);
      send(alice, bob, "to the newer one");
      WebSocketRequest delivery = nextDeliverySkippingControl(newer);
      assertThat(WsClient.envelope(delivery).getContent().toStringUtf8()).isEqualTo("to the newer one");
    }
  }

  @Test
  void malformedTextAndOversizeFramesCloseTheConnectionWithTheRightCode() throws Exception {
    try (WsClient ws = WsClient.connect(server.webSocketUri(), bob)) {
      ws.sendRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
      assertThat(ws.awaitClose().code()).isEqualTo(1007);
    }
    try (WsClient ws = WsClient.connect(server.webSocketUri(), bob)) {
      ws.sendText("{\"hello\": 1}");
      assertThat(ws.awaitClose().code()).isEqualTo(1003);
    }
    // A frame announcing 2 MiB (the cap is 1 MiB) is refused from its header.
    try (RawWebSocket raw = new RawWebSocket(server.port(), bob.basicAuth())) {
      raw.writeFrame(true, 0x2, 2L * 1024 * 1024, new byte[16]);
      assertThat(raw.readCloseCode()).isEqualTo(1009);
    }
    // So are fragments that are each small but add up to more than the cap.
    try (RawWebSocket raw = new RawWebSocket(server.port(), bob.basicAuth())) {
      byte[] part = new byte[400 * 1024];
      raw.writeFrame(false, 0x2, part.length, part);
      raw.writeFrame(false, 0x0, part.length, part);
      raw.writeFrame(true, 0x0, part.length, part);
      assertThat(raw.readCloseCode()).isEqualTo(1009);
    }
    // The server is fine afterwards and nothing was lost.
    assertThat(send(alice, bob, "still here").status()).isEqualTo(200);
    assertThat(depth(bob)).isEqualTo(1);
  }

  @Test
  void webSocketUpgradeNeedsValidCredentials() {
    Api.Device wrong = new Api.Device(bob.accountId(), 1, "not-the-password-at-all", bob.number(), 0);
    assertThat(upgradeStatus(wrong.basicAuth())).isEqualTo(401);
    assertThat(upgradeStatus(null)).isEqualTo(401);
  }

  @Test
  void unknownAccountAndWrongPasswordGetTheSame401() {
    Api.Device unknownAccount = new Api.Device("4b1c2d3e-0000-4000-8000-000000000000", 1, "whatever-password-1", "", 0);
    Api.Device wrongPassword = new Api.Device(bob.accountId(), 1, "whatever-password-1", "", 0);
    Api.Device badDevice = new Api.Device(bob.accountId(), 9, bob.password(), "", 0);
    Api.Response a = api.call("GET", "/v1/accounts/me", null, unknownAccount);
    Api.Response b = api.call("GET", "/v1/accounts/me", null, wrongPassword);
    Api.Response c = api.call("GET", "/v1/accounts/me", null, badDevice);
    Api.Response d = api.send("GET", "/v1/accounts/me", new byte[0], "application/x-protobuf", "Basic !!!");
    for (Api.Response r : List.of(a, b, c, d)) {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.body()).isEqualTo(a.body());
    }
  }

  @Test
  void theQueueCapRefusesMoreThanItHolds() throws Exception {
    try (TestServer small = TestServer.start(Map.of("PARLEY_MESSAGES_MAX_QUEUE_PER_DEVICE", "3"))) {
      Api.Device a = small.api.register("+15552220010");
      Api.Device b = small.api.register("+15552220011");
      for (int i = 0; i < 3; i++) {
        assertThat(small.api.call("PUT", "/v1/messages/" + b.accountId(), text(b, "m" + i, false), a).status())
            .isEqualTo(200);
      }
      Api.Response full = small.api.call("PUT", "/v1/messages/" + b.accountId(), text(b, "m3", false), a);
      assertThat(full.status()).isEqualTo(507);
      assertThat(full.error().getCode()).isEqualTo("queue_full");
    }
  }

  @Test
  void messagesExpireAfterTheQueueTtl() throws Exception {
    send(alice, bob, "old news");
    server.clock.advance(Duration.ofDays(30).plusMinutes(1));
    assertThat(server.queue().purgeExpired(server.clock.millis())).isEqualTo(1);
    assertThat(depth(bob)).isZero();
  }

  @Test
  void floodsGet429() throws Exception {
    try (TestServer strict = TestServer.start(Map.of("PARLEY_RATE_LIMITS_MESSAGE_SENDS", "5/1m"))) {
      Api.Device a = strict.api.register("+15552220020");
      Api.Device b = strict.api.register("+15552220021");
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        statuses.add(strict.api.call("PUT", "/v1/messages/" + b.accountId(), text(b, "m" + i, false), a).status());
      }
      assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429, 429);
      assertThat(strict.queue().depth(new DeviceAddress(b.accountId(), 1))).isEqualTo(5);
    }
  }

  @Test
  void shutdownTellsClientsToReconnect() throws Exception {
    TestServer other = TestServer.start();
    Api.Device d = other.api.register("+15552220030");
    WsClient ws = WsClient.connect(other.webSocketUri(), d);
    other.close();
    assertThat(ws.awaitClose().code()).isEqualTo(1001);
  }

  private int upgradeStatus(String authorization) {
    try {
      WsClient.connect(server.webSocketUri(), authorization);
      return 101;
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        return h.getResponse().statusCode();
      }
      throw e;
    }
  }

  private static WebSocketRequest nextDeliverySkippingControl(WsClient ws) throws InterruptedException {
    while (true) {
      WebSocketRequest request = ws.nextServerRequest(WAIT);
      assertThat(request).as("a delivery").isNotNull();
      if (request.getPath().equals("/api/v1/message")) {
        return request;
      }
      ws.answer(request, 200);
    }
  }

}
