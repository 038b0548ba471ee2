package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.CreateVerificationSessionRequest;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.PresenceEvent;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.SendMessageResponse;
import org.parley.protocol.WebSocketRequest;
import org.parley.server.config.ConfigLoader;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.support.Api;
import org.parley.server.support.PostgresTestCluster;
import org.parley.server.support.RedisTestServer;
import org.parley.server.support.TestServer;
import org.parley.server.support.WsClient;

/**
 * Two real servers in this JVM on one PostgreSQL database and one Redis (ADR 0151): devices connected to different
 * servers reach each other at once, one connection per device holds across servers, and with Redis gone nothing
 * durable is lost.
 */
class ClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private RedisTestServer redis;
  private TestServer nodeA;
  private TestServer nodeB;
  private Api.Device alice;
  private Api.Device bob;

  @BeforeEach
  void start() throws Exception {
    redis = RedisTestServer.start();
    Map<String, String> shared = Map.of(
        "PARLEY_STORAGE_BACKEND", "postgres",
        "PARLEY_DATABASE_URL", PostgresTestCluster.shared().newDatabase(),
        "PARLEY_DATABASE_USER", PostgresTestCluster.USER,
        "PARLEY_CLUSTER_REDIS_URL", redis.url(),
        "PARLEY_CLUSTER_POLL_INTERVAL", "200ms",
        "PARLEY_RATE_LIMITS_SESSIONS_PER_NUMBER", "3/1h");
    nodeA = TestServer.start(shared);
    nodeB = TestServer.start(shared);
    alice = nodeA.api.register("+15553330001");
    bob = nodeA.api.register("+15553330002");
  }

  @AfterEach
  void stop() {
    if (nodeA != null) {
      nodeA.close();
    }
    if (nodeB != null) {
      nodeB.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static SendMessageRequest text(Api.Device to, String text, boolean ephemeral) {
    return SendMessageRequest.newBuilder()
        .setTimestamp(System.currentTimeMillis())
        .setEphemeral(ephemeral)
        .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
            .setDestinationRegistrationId(to.registrationId()).setContent(WsClient.bytes(text)))
        .build();
  }

  private static SendMessageResponse send(TestServer via, Api.Device from, Api.Device to, String text,
      boolean ephemeral) throws Exception {
    Api.Response answer = via.api.call("PUT", "/v1/messages/" + to.accountId(), text(to, text, ephemeral), from);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return SendMessageResponse.parseFrom(answer.body());
  }

  private static WsClient connected(TestServer node, Api.Device device) throws InterruptedException {
    WsClient ws = WsClient.connect(node.webSocketUri(), device);
    assertThat(ws.nextServerRequest(WAIT).getPath()).isEqualTo("/api/v1/queue/empty");
    return ws;
  }

  private static String receive(WsClient ws) throws InterruptedException {
    WebSocketRequest delivery = ws.nextDelivery(WAIT);
    ws.answer(delivery, 200);
    return WsClient.envelope(delivery).getContent().toStringUtf8();
  }

  private long queued(Api.Device device) {
    return nodeA.queue().depth(new DeviceAddress(device.accountId(), device.deviceId()));
  }

  @Test
  void devicesOnDifferentServersGetMessagesReceiptsAndTypingAtOnce() throws Exception {
    try (WsClient aliceWs = connected(nodeA, alice); WsClient bobWs = connected(nodeB, bob)) {
      // Stored by A, pushed by B: only the wake-up through Redis tells B (nothing polls while Redis answers).
      send(nodeA, alice, bob, "hello from A", false);
      assertThat(receive(bobWs)).isEqualTo("hello from A");

      // The receipt goes the other way, over B's WebSocket, to alice on A.
      assertThat(bobWs.request("PUT", "/v1/messages/" + alice.accountId(), text(alice, "receipt: read", false))
          .getStatus()).isEqualTo(200);
      assertThat(receive(aliceWs)).isEqualTo("receipt: read");
      await().atMost(WAIT).until(() -> queued(alice) == 0 && queued(bob) == 0);

      // Typing is never stored: B routes it to A, which holds alice, and the sender learns it got there.
      SendMessageResponse typing = send(nodeB, bob, alice, "typing", true);
      assertThat(typing.getDeliveredDevicesList()).containsExactly(1);
      Envelope envelope = WsClient.envelope(aliceWs.nextDelivery(WAIT));
      assertThat(envelope.getEphemeral()).isTrue();
      assertThat(envelope.getContent().toStringUtf8()).isEqualTo("typing");
      assertThat(queued(alice)).isZero();
    }
    // Nobody holds alice any more: typing reaches nobody, on either server.
    await().atMost(WAIT).until(() -> send(nodeB, bob, alice, "typing", true).getDeliveredDevicesCount() == 0);
    assertThat(send(nodeA, bob, alice, "typing", true).getDeliveredDevicesList()).isEmpty();
  }

  @Test
  void presenceOfADeviceOnOneServerReachesSubscribersOnTheOther() throws Exception {
    // Bob's presence is visible to those he has written to (ADR 0170).
    send(nodeB, bob, alice, "hello", false);
    try (WsClient aliceWs = WsClient.connect(nodeA.webSocketUri(), alice)) {
      assertThat(receive(aliceWs)).isEqualTo("hello");
      assertThat(aliceWs.nextServerRequest(WAIT).getPath()).isEqualTo("/api/v1/queue/empty");
      assertThat(aliceWs.request("PUT", "/v1/presence/subscriptions/" + bob.accountId(), null).getStatus())
          .isEqualTo(204);

      WsClient bobWs = connected(nodeB, bob);
      PresenceEvent online = presence(aliceWs.nextServerRequest(WAIT));
      assertThat(online.getAccountId()).isEqualTo(bob.accountId());
      assertThat(online.getOnline()).isTrue();
      // Asked on A, where bob holds no connection.
      assertThat(nodeA.api.call("GET", "/v1/presence/" + bob.accountId(), null, alice)
          .as(PresenceEvent.getDefaultInstance()).getOnline()).isTrue();

      bobWs.close();
      assertThat(presence(aliceWs.nextServerRequest(WAIT)).getOnline()).isFalse();
      assertThat(nodeA.api.call("GET", "/v1/presence/" + bob.accountId(), null, alice)
          .as(PresenceEvent.getDefaultInstance()).getOnline()).isFalse();
    }
  }

  private static PresenceEvent presence(WebSocketRequest request) throws Exception {
    assertThat(request).as("a presence event").isNotNull();
    assertThat(request.getPath()).isEqualTo("/api/v1/presence");
    return PresenceEvent.parseFrom(request.getBody());
  }

  @Test
  void aSecondConnectionOnAnotherServerClosesTheFirst() throws Exception {
    WsClient onA = connected(nodeA, bob);
    try (WsClient onB = connected(nodeB, bob)) {
      assertThat(onA.awaitClose().code()).isEqualTo(4001);
      send(nodeA, alice, bob, "to the newer one", false);
      assertThat(receive(onB)).isEqualTo("to the newer one");
    }
  }

  @Test
  void registeringAgainOnOneServerClosesTheOldDevicesConnectionOnTheOther() throws Exception {
    try (WsClient onB = connected(nodeB, bob)) {
      Api.Device again = nodeA.api.register(bob.number());
      assertThat(again.accountId()).isEqualTo(bob.accountId());
      assertThat(onB.awaitClose().code()).isEqualTo(4401);
    }
  }

  @Test
  void withRedisGoneMessagesWaitInTheDatabaseAndArriveByPollingAndWakeUpsResumeWhenItIsBack() throws Exception {
    try (WsClient bobWs = connected(nodeB, bob)) {
      redis.stop();
      // The sender is answered once the message is in PostgreSQL, Redis or not.
      send(nodeA, alice, bob, "while Redis is down", false);
      assertThat(receive(bobWs)).isEqualTo("while Redis is down");
      assertThat(nodeB.metrics()).contains("parley_cluster_redis_unreachable 1");

      redis.startAgain();
      // The restarted Redis is empty: B records that it holds bob again and stops polling; A's wake-ups reach it.
      await().atMost(Duration.ofSeconds(40)).until(() -> nodeA.metrics().contains("parley_cluster_redis_unreachable 0")
          && nodeB.metrics().contains("parley_cluster_redis_unreachable 0"));
      send(nodeA, alice, bob, "after Redis is back", false);
      assertThat(receive(bobWs)).isEqualTo("after Redis is back");
    }
    // A device that was away while Redis was down gets what waited when it connects.
    redis.stop();
    send(nodeA, alice, bob, "stored while nobody listens", false);
    try (WsClient bobWs = WsClient.connect(nodeB.webSocketUri(), bob)) {
      assertThat(receive(bobWs)).isEqualTo("stored while nobody listens");
    }
  }

  @Test
  void verificationRequestsForANumberAreCountedOnceForAllServers() {
    // Three an hour per number: spread over two servers that is still three, not three each.
    List<Integer> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      TestServer node = i % 2 == 0 ? nodeA : nodeB;
      answers.add(node.api.call("POST", "/v1/verification/session",
          CreateVerificationSessionRequest.newBuilder().setNumber("+15553330009").build(), null).status());
    }
    assertThat(answers).containsExactly(200, 200, 200, 429, 429, 429);
  }

  @Test
  void aClusterNeedsPostgresTheDatabaseQueueAndARedisUrlAndRedisItself() {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(),
        Map.of("PARLEY_CLUSTER_REDIS_URL", "redis://127.0.0.1:6379")))
        .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("storage.backend = \"postgres\"");
    Map<String, String> postgres = Map.of("PARLEY_STORAGE_BACKEND", "postgres",
        "PARLEY_DATABASE_URL", "jdbc:postgresql://127.0.0.1/parley");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), with(postgres,
        "PARLEY_CLUSTER_REDIS_URL", "127.0.0.1:6379")))
        .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("redis://HOST:PORT");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), with(with(postgres,
        "PARLEY_CLUSTER_REDIS_URL", "redis://127.0.0.1:6379"), "PARLEY_STORAGE_MESSAGE_QUEUE", "log")))
        .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("storage.message-queue = \"database\"");

    redis.stop();
    assertThatThrownBy(() -> TestServer.start(Map.of(
        "PARLEY_STORAGE_BACKEND", "postgres",
        "PARLEY_DATABASE_URL", PostgresTestCluster.shared().newDatabase(),
        "PARLEY_DATABASE_USER", PostgresTestCluster.USER,
        "PARLEY_CLUSTER_REDIS_URL", redis.url())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Cannot reach Redis");
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> copy = new HashMap<>(base);
    copy.put(key, value);
    return copy;
  }
}
