package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.WebSocketRequest;
import org.parley.server.support.Api;
import org.parley.server.support.PostgresTestCluster;
import org.parley.server.support.RedisTestServer;
import org.parley.server.support.TestServer;
import org.parley.server.support.WsClient;

/**
 * Redis and PostgreSQL restarted under two running servers while senders keep sending (ADR 0151): every message a
 * sender was told "sent" (200) reaches its recipient on the other server, none is lost, and while PostgreSQL is away
 * sends fail with a retryable error (503 storage_unavailable) that the senders retry, as clients do.
 */
class ClusterRestartTest {

  private static final int PAIRS = 8;

  private final List<AutoCloseable> open = new ArrayList<>();
  private RedisTestServer redis;
  private TestServer nodeA;
  private TestServer nodeB;

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private void startNodes(String databaseUrl) throws Exception {
    redis = RedisTestServer.start();
    open.add(redis);
    Map<String, String> shared = Map.of(
        "PARLEY_STORAGE_BACKEND", "postgres",
        "PARLEY_DATABASE_URL", databaseUrl,
        "PARLEY_DATABASE_USER", PostgresTestCluster.USER,
        "PARLEY_CLUSTER_REDIS_URL", redis.url(),
        "PARLEY_CLUSTER_POLL_INTERVAL", "200ms");
    nodeA = TestServer.start(shared);
    open.add(nodeA);
    nodeB = TestServer.start(shared);
    open.add(nodeB);
  }

  @Test
  void redisRestartedUnderLoadLosesNothingAndWakeUpsResume() throws Exception {
    startNodes(PostgresTestCluster.shared().newDatabase());
    try (Load load = new Load()) {
      load.runFor(Duration.ofSeconds(2));
      redis.stop();
      load.runFor(Duration.ofSeconds(3));
      // With Redis away no wake-up crosses: what was confirmed so far arrives by the receivers' servers polling.
      Set<String> sentWhileAway = Set.copyOf(load.confirmedMessages);
      await().atMost(Duration.ofSeconds(30)).until(() -> load.received.keySet().containsAll(sentWhileAway));
      redis.startAgain();
      await().atMost(Duration.ofSeconds(40)).until(() -> nodeA.metrics().contains("parley_cluster_redis_unreachable 0")
          && nodeB.metrics().contains("parley_cluster_redis_unreachable 0"));
      long before = load.confirmed();
      load.runFor(Duration.ofSeconds(2));
      assertThat(load.confirmed()).as("sends go on after Redis is back").isGreaterThan(before);
      load.stopAndCheckNothingLost();
      // Redis never holds a message: no send failed while it was away.
      assertThat(load.failures).isEmpty();
    }
  }

  @Test
  void postgresRestartedUnderLoadFailsSendsRetryablyAndLosesNothing() throws Exception {
    PostgresTestCluster postgres = PostgresTestCluster.startPrivate();
    open.add(postgres::stop);
    startNodes(postgres.newDatabase());
    try (Load load = new Load()) {
      load.runFor(Duration.ofSeconds(2));
      postgres.stopServer();
      load.runFor(Duration.ofSeconds(6));
      postgres.startServer();
      long before = load.confirmed();
      await().atMost(Duration.ofSeconds(30)).until(() -> load.confirmed() > before + PAIRS * 10);
      load.runFor(Duration.ofSeconds(2));
      load.stopAndCheckNothingLost();
      assertThat(load.failures).as("sends failed while PostgreSQL was away").isNotEmpty();
      assertThat(load.failures.keySet()).as("and only with the retryable answer")
          .containsOnly("503 storage_unavailable");
    }
  }

  /**
   * {@link #PAIRS} senders, half on each server, each sending numbered messages to a receiver connected to the other
   * server; a failed send (5xx, as a client sees a retryable failure) is retried with the same content until it is
   * answered 200. Receivers acknowledge everything and count copies per message.
   */
  private final class Load implements AutoCloseable {
    final ConcurrentMap<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    final Set<String> confirmedMessages = ConcurrentHashMap.newKeySet();
    final ConcurrentMap<String, AtomicInteger> received = new ConcurrentHashMap<>();
    final AtomicLong sendsAnswered = new AtomicLong();
    final AtomicBoolean running = new AtomicBoolean(true);
    final List<Thread> threads = new ArrayList<>();
    final AtomicInteger reconnects = new AtomicInteger();
    final AtomicBoolean receiving = new AtomicBoolean(true);

    Load() throws Exception {
      for (int i = 0; i < PAIRS; i++) {
        TestServer senderNode = i % 2 == 0 ? nodeA : nodeB;
        TestServer receiverNode = i % 2 == 0 ? nodeB : nodeA;
        Api.Device sender = senderNode.api.register("+1555335" + String.format("%04d", 2 * i));
        Api.Device receiver = receiverNode.api.register("+1555335" + String.format("%04d", 2 * i + 1));
        int pair = i;
        threads.add(new Thread(() -> receive(receiverNode, receiver), "receiver-" + pair));
        threads.add(new Thread(() -> send(senderNode, sender, receiver, pair), "sender-" + pair));
      }
      threads.forEach(Thread::start);
    }

    void runFor(Duration time) throws InterruptedException {
      Thread.sleep(time.toMillis());
    }

    long confirmed() {
      return confirmedMessages.size();
    }

    private void send(TestServer node, Api.Device from, Api.Device to, int pair) {
      long seq = 0;
      while (running.get()) {
        String content = "m-" + pair + "-" + seq;
        SendMessageRequest request = SendMessageRequest.newBuilder().setTimestamp(System.currentTimeMillis())
            .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
                .setDestinationRegistrationId(to.registrationId()).setContent(WsClient.bytes(content)))
            .build();
        Api.Response answer = node.api.call("PUT", "/v1/messages/" + to.accountId(), request, from);
        sendsAnswered.incrementAndGet();
        if (answer.status() == 200) {
          confirmedMessages.add(content);
          seq++;
        } else {
          failures.computeIfAbsent(answer.status() + " " + errorCode(answer), k -> new AtomicInteger())
              .incrementAndGet();
          if (answer.status() < 500) {
            return; // not retryable: the failure map fails the test
          }
          sleep(100);
        }
      }
    }

    private static String errorCode(Api.Response answer) {
      try {
        return answer.error().getCode();
      } catch (RuntimeException e) {
        return "(no error body)";
      }
    }

    /** Receives and acknowledges; reconnects when the server closes the connection, as a client does. */
    private void receive(TestServer node, Api.Device device) {
      while (receiving.get()) {
        WsClient ws;
        try {
          ws = WsClient.connect(node.webSocketUri(), device);
        } catch (RuntimeException refused) {
          sleep(200); // the server cannot authenticate while its database is away
          continue;
        }
        reconnects.incrementAndGet();
        try {
          while (receiving.get() && !ws.closed.isDone()) {
            WebSocketRequest request = ws.nextServerRequest(Duration.ofMillis(200));
            if (request != null && request.getPath().equals("/api/v1/message")) {
              received.computeIfAbsent(WsClient.envelope(request).getContent().toStringUtf8(),
                  k -> new AtomicInteger()).incrementAndGet();
              ws.answer(request, 200);
            }
          }
        } catch (InterruptedException e) {
          return;
        } finally {
          ws.close();
        }
      }
    }

    void stopAndCheckNothingLost() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        if (t.getName().startsWith("sender-")) {
          t.join(70_000);
        }
      }
      assertThat(confirmed()).as("messages confirmed").isGreaterThan(PAIRS * 10L);
      await().atMost(Duration.ofSeconds(60)).until(() -> received.keySet().containsAll(confirmedMessages));
      // Every confirmed message arrived; a retried send may have been stored twice (its first answer lost), and
      // an acknowledgement lost with the database may bring one again: the client drops such copies by content.
      long copies = received.values().stream().mapToInt(AtomicInteger::get).sum() - received.size();
      System.out.printf("%d messages confirmed, %d received, %d extra copies, %d connections (reconnects"
          + " included), failed sends %s%n", confirmed(), received.size(), copies, reconnects.get(), failures);
      assertThat(received.keySet()).containsAll(confirmedMessages);
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      receiving.set(false);
      for (Thread t : threads) {
        t.join(70_000);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
