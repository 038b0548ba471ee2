package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Envelope;
import org.parley.protocol.LinkDeviceRequest;
import org.parley.protocol.LinkDeviceResponse;
import org.parley.protocol.LinkingCode;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.ProvisioningAddress;
import org.parley.protocol.ProvisioningMessageRequest;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.SendMessageResponse;
import org.parley.protocol.SetKeysRequest;
import org.parley.protocol.SignedPreKey;
import org.parley.protocol.VerificationSession;
import org.parley.protocol.WebSocketRequest;
import org.parley.server.support.Api;
import org.parley.server.support.PostgresTestCluster;
import org.parley.server.support.RedisTestServer;
import org.parley.server.support.TestServer;
import org.parley.server.support.WsClient;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;

/**
 * What a client starts on one server and finishes on another (ADR 0151): registration (session on A, code and
 * registration on B), linking a device (its provisioning socket on A, the phone on B), a call's signaling between
 * users on different servers, and wrong codes spread over both servers counting once. Two real servers on one
 * PostgreSQL database and one redis-server.
 */
class ClusterHandoverTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private RedisTestServer redis;
  private TestServer nodeA;
  private TestServer nodeB;

  @BeforeEach
  void start() throws Exception {
    redis = RedisTestServer.start();
    Map<String, String> shared = Map.of(
        "PARLEY_STORAGE_BACKEND", "postgres",
        "PARLEY_DATABASE_URL", PostgresTestCluster.shared().newDatabase(),
        "PARLEY_DATABASE_USER", PostgresTestCluster.USER,
        "PARLEY_CLUSTER_REDIS_URL", redis.url(),
        "PARLEY_REGISTRATION_MAX_ATTEMPTS", "4");
    nodeA = TestServer.start(shared);
    nodeB = TestServer.start(shared);
  }

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {nodeA, nodeB, redis}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void aRegistrationStartedOnOneServerIsFinishedOnTheOther() throws Exception {
    String number = "+15553340001";
    VerificationSession session = nodeA.api.startSession(number);
    // B sees A's session, and the code A sent verifies it there.
    Api.Response verified = nodeB.api.submitCode(session.getSessionId(), nodeA.lastCode(number));
    assertThat(verified.status()).as(verified.text()).isEqualTo(200);
    assertThat(verified.as(VerificationSession.getDefaultInstance()).getVerified()).isTrue();
    Api.Response registered = nodeB.api.registerWithSession(session.getSessionId(), "pw-" + UUID.randomUUID(), 41);
    assertThat(registered.status()).as(registered.text()).isEqualTo(200);
    // A session registers once, whichever server is asked next.
    assertThat(nodeA.api.registerWithSession(session.getSessionId(), "pw-" + UUID.randomUUID(), 42).status())
        .isEqualTo(404);
  }

  @Test
  void wrongCodesSpreadOverBothServersStopAfterTheSessionsTries() throws Exception {
    String number = "+15553340002";
    VerificationSession session = nodeA.api.startSession(number);
    String right = nodeA.lastCode(number);
    String wrong = right.equals("000000") ? "000001" : "000000";
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      TestServer node = i % 2 == 0 ? nodeB : nodeA;
      answers.add(status(node.api.submitCode(session.getSessionId(), wrong)));
    }
    // Four tries in all, not four per server; then the session is gone, so the right code is no use either.
    assertThat(answers).containsExactly("403 wrong_code", "403 wrong_code", "403 wrong_code", "410 too_many_attempts",
        "404 no_such_session", "404 no_such_session", "404 no_such_session", "404 no_such_session");
    assertThat(status(nodeB.api.submitCode(session.getSessionId(), right))).isEqualTo("404 no_such_session");
  }

  private static String status(Api.Response r) {
    return r.status() == 200 ? "200" : r.status() + " " + r.error().getCode();
  }

  @Test
  void aDeviceWaitingOnOneServerIsLinkedByAPhoneOnTheOther() throws Exception {
    Api.Device phone = nodeB.api.register("+15553340003");
    IdentityKeyPair identity = IdentityKeyPair.generate();
    assertThat(nodeB.api.call("PUT", "/v1/keys", SetKeysRequest.newBuilder()
        .setIdentityKey(ByteString.copyFrom(identity.getPublicKey().serialize())).build(), phone).status())
        .isEqualTo(204);

    try (WsClient waiting = WsClient.connect(provisioningUri(nodeA), (String) null)) {
      WebSocketRequest first = waiting.nextServerRequest(WAIT);
      assertThat(first.getPath()).isEqualTo("/v1/address");
      String address = ProvisioningAddress.parseFrom(first.getBody()).getAddress();

      // The phone, on B, gets a linking code from B and sends the sealed provisioning message through B.
      Api.Response code = nodeB.api.call("POST", "/v1/devices/linking-code", null, phone);
      assertThat(code.status()).isEqualTo(200);
      String linkingCode = code.as(LinkingCode.getDefaultInstance()).getCode();
      ProvisioningMessageRequest sealed =
          ProvisioningMessageRequest.newBuilder().setBody(ByteString.copyFromUtf8("sealed " + linkingCode)).build();
      assertThat(nodeB.api.call("PUT", "/v1/provisioning/" + address, sealed, phone).status()).isEqualTo(204);

      WebSocketRequest relayed = waiting.nextServerRequest(WAIT);
      assertThat(relayed).as("the provisioning message relayed from B to the socket on A").isNotNull();
      assertThat(relayed.getPath()).isEqualTo("/v1/message");
      assertThat(ProvisioningMessageRequest.parseFrom(relayed.getBody()).getBody().toStringUtf8())
          .isEqualTo("sealed " + linkingCode);
      assertThat(waiting.awaitClose().code()).isEqualTo(1000);
      // Single use across the cluster: neither server relays to that address again.
      assertThat(nodeB.api.call("PUT", "/v1/provisioning/" + address, sealed, phone).status()).isEqualTo(404);
      assertThat(nodeA.api.call("PUT", "/v1/provisioning/" + address, sealed, phone).status()).isEqualTo(404);

      // The new device registers on A with the code B issued, and hears the phone's messages sent through B.
      String password = "pw-" + UUID.randomUUID();
      Api.Response linked = nodeA.api.call("PUT", "/v1/devices/link", linkRequest(linkingCode, identity, password),
          null);
      assertThat(linked.status()).as(linked.text()).isEqualTo(200);
      LinkDeviceResponse device = linked.as(LinkDeviceResponse.getDefaultInstance());
      assertThat(device.getAccountId()).isEqualTo(phone.accountId());
      Api.Device desktop = new Api.Device(device.getAccountId(), device.getDeviceId(), password, device.getNumber(),
          77);
      assertThat(nodeB.api.call("PUT", "/v1/devices/link", linkRequest(linkingCode, identity, "pw-" + UUID.randomUUID()), null)
          .status()).as("the code is used up on every server").isEqualTo(403);

      try (WsClient desktopWs = WsClient.connect(nodeA.webSocketUri(), desktop)) {
        assertThat(desktopWs.nextServerRequest(WAIT).getPath()).isEqualTo("/api/v1/queue/empty");
        SendMessageRequest sync = SendMessageRequest.newBuilder().setTimestamp(System.currentTimeMillis())
            .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT)
                .setDestinationDevice(desktop.deviceId()).setDestinationRegistrationId(77)
                .setContent(WsClient.bytes("sync to the new device")))
            .build();
        Api.Response sent = nodeB.api.call("PUT", "/v1/messages/" + phone.accountId(), sync, phone);
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        WebSocketRequest delivery = desktopWs.nextDelivery(WAIT);
        desktopWs.answer(delivery, 200);
        assertThat(WsClient.envelope(delivery).getContent().toStringUtf8()).isEqualTo("sync to the new device");
      }
    }
  }

  private static URI provisioningUri(TestServer node) {
    return URI.create("ws://127.0.0.1:" + node.port() + "/v1/websocket/provisioning");
  }

  private static LinkDeviceRequest linkRequest(String code, IdentityKeyPair signer, String password) {
    byte[] ec = ECKeyPair.generate().getPublicKey().serialize();
    byte[] kem = KEMKeyPair.generate(KEMKeyType.KYBER_1024).getPublicKey().serialize();
    return LinkDeviceRequest.newBuilder().setLinkingCode(code).setPassword(password).setRegistrationId(77)
        .setName("desktop")
        .setSignedPreKey(SignedPreKey.newBuilder().setKeyId(1).setPublicKey(ByteString.copyFrom(ec))
            .setSignature(ByteString.copyFrom(signer.getPrivateKey().calculateSignature(ec))))
        .setPqLastResortPreKey(SignedPreKey.newBuilder().setKeyId(2).setPublicKey(ByteString.copyFrom(kem))
            .setSignature(ByteString.copyFrom(signer.getPrivateKey().calculateSignature(kem))))
        .build();
  }

  @Test
  void aCallsSignalingCrossesServersBothWays() throws Exception {
    Api.Device alice = nodeA.api.register("+15553340004");
    Api.Device bob = nodeA.api.register("+15553340005");
    try (WsClient aliceWs = connected(nodeA, alice); WsClient bobWs = connected(nodeB, bob)) {
      // Offer from alice (on A) to bob (on B): urgent, never stored, routed by Redis to B.
      assertThat(signal(nodeA, alice, bob, "offer").getDeliveredDevicesList()).containsExactly(1);
      assertSignal(bobWs, "offer");
      // Answer and ICE candidates back from bob's server to alice's, then more candidates and the hang-up.
      assertThat(signal(nodeB, bob, alice, "answer").getDeliveredDevicesList()).containsExactly(1);
      assertSignal(aliceWs, "answer");
      for (int i = 0; i < 3; i++) {
        signal(nodeB, bob, alice, "ice-b-" + i);
        signal(nodeA, alice, bob, "ice-a-" + i);
      }
      for (int i = 0; i < 3; i++) {
        assertSignal(aliceWs, "ice-b-" + i);
        assertSignal(bobWs, "ice-a-" + i);
      }
      signal(nodeA, alice, bob, "hangup");
      assertSignal(bobWs, "hangup");
      assertThat(nodeA.queued(bob.accountId(), 1) + nodeA.queued(alice.accountId(), 1)).as("nothing stored")
          .isZero();
    }
  }

  private static WsClient connected(TestServer node, Api.Device device) throws InterruptedException {
    WsClient ws = WsClient.connect(node.webSocketUri(), device);
    assertThat(ws.nextServerRequest(WAIT).getPath()).isEqualTo("/api/v1/queue/empty");
    return ws;
  }

  private static SendMessageResponse signal(TestServer via, Api.Device from, Api.Device to, String what)
      throws Exception {
    SendMessageRequest request = SendMessageRequest.newBuilder().setTimestamp(System.currentTimeMillis())
        .setEphemeral(true).setUrgent(true)
        .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
            .setDestinationRegistrationId(to.registrationId()).setContent(WsClient.bytes(what)))
        .build();
    Api.Response answer = via.api.call("PUT", "/v1/messages/" + to.accountId(), request, from);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return SendMessageResponse.parseFrom(answer.body());
  }

  private static void assertSignal(WsClient ws, String what) throws InterruptedException {
    Envelope envelope = WsClient.envelope(ws.nextDelivery(WAIT));
    assertThat(envelope.getContent().toStringUtf8()).isEqualTo(what);
    assertThat(envelope.getEphemeral()).isTrue();
    assertThat(envelope.getUrgent()).isTrue();
  }
}
