package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.WebSocketMessage;
import org.parley.protocol.WebSocketRequest;
import org.parley.server.metrics.Readiness;
import org.parley.server.support.Api;
import org.parley.server.support.PostgresTestCluster;
import org.parley.server.support.RawWebSocket;
import org.parley.server.support.TestServer;
import org.parley.server.support.WsClient;

/**
 * Health for a load balancer and the drain on shutdown (ADR 0152): {@code /ready} says whether to send new clients
 * here, and a draining server answers every request it handled before it tells the client to reconnect (1001).
 */
class DrainTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(URI uri) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String status(URI uri) throws Exception {
    HttpResponse<String> response = get(uri);
    return response.statusCode() + " " + response.body().trim();
  }

  private static SendMessageRequest text(Api.Device to, String text) {
    return SendMessageRequest.newBuilder()
        .setTimestamp(System.currentTimeMillis())
        .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
            .setDestinationRegistrationId(to.registrationId()).setContent(WsClient.bytes(text)))
        .build();
  }

  @Test
  void readyAndAliveOnTheClientsPortAndTheAdminPort() throws Exception {
    try (TestServer server = TestServer.start()) {
      assertThat(status(server.url().resolve("/ready"))).isEqualTo("200 ready");
      assertThat(status(server.adminUrl().resolve("/ready"))).isEqualTo("200 ready");
      assertThat(status(server.url().resolve("/health"))).isEqualTo("200 ok");
      assertThat(status(server.adminUrl().resolve("/health"))).isEqualTo("200 ok");
      assertThat(server.server().readiness().state()).isEqualTo(Readiness.State.READY);
      server.stop();
      assertThat(server.server().readiness().answer()).isEqualTo(new Readiness.Answer(false, "draining"));
    }
  }

  /**
   * Sends stream over one WebSocket and the server is stopped in the middle: the client gets 1001 after answers
   * that are all 200, and every message answered is stored.
   */
  @Test
  void aDrainingServerClosesWith1001AfterItsAnswersAndKeepsWhatItAnswered() throws Exception {
    try (TestServer server = TestServer.builder()
        .setting("PARLEY_MESSAGES_MAX_QUEUE_PER_STRANGER", "100000")
        .setting("PARLEY_MESSAGES_MAX_QUEUE_FROM_STRANGERS", "100000")
        .setting("PARLEY_RATE_LIMITS_MESSAGE_SENDS", "1000000/1s")
        // One read can bring hundreds of requests; on a busy machine answering them takes longer than the tests' 1 s.
        .setting("PARLEY_SERVER_SHUTDOWN_GRACE", "15s")
        .start()) {
      Api.Device alice = server.api.register("+15553340001");
      Api.Device bob = server.api.register("+15553340002");
      // A raw socket, read eagerly: every frame the server sent is seen, in order, up to its close frame.
      RawWebSocket ws = new RawWebSocket(server.port(), alice.basicAuth());
      int sends = 20_000;
      AtomicInteger written = new AtomicInteger();
      AtomicBoolean closeSeen = new AtomicBoolean();
      Thread sender = new Thread(() -> {
        try {
          for (int i = 0; i < sends && !closeSeen.get(); i++) {
            byte[] request = WebSocketMessage.newBuilder().setType(WebSocketMessage.Type.REQUEST)
                .setRequest(WebSocketRequest.newBuilder().setId(i + 1).setVerb("PUT")
                    .setPath("/v1/messages/" + bob.accountId()).setBody(text(bob, "m" + i).toByteString()))
                .build().toByteArray();
            ws.writeMinimalFrame(2, request);
            written.incrementAndGet();
          }
        } catch (IOException closedMeanwhile) {
          // the server closed: the rest are never sent
        }
      });
      sender.start();
      Map<Integer, Integer> answered = new HashMap<>();
      int closeCode = 0;
      boolean stopping = false;
      CompletableFuture<Void> stopped = CompletableFuture.completedFuture(null);
      while (closeCode == 0) {
        RawWebSocket.Frame frame = ws.readFrame();
        if (frame.opcode() == 8) {
          closeCode = frame.closeCode();
        } else if (frame.opcode() == 2) {
          WebSocketMessage message = WebSocketMessage.parseFrom(frame.payload());
          if (message.getType() == WebSocketMessage.Type.RESPONSE) {
            answered.merge(message.getResponse().getStatus(), 1, Integer::sum);
          }
          if (!stopping && answered.getOrDefault(200, 0) == 50) {
            // The stop starts at the 50th answer, with thousands of sends behind it.
            stopping = true;
            stopped = CompletableFuture.runAsync(server::stop);
          }
        }
      }
      closeSeen.set(true);
      sender.join();
      byte[] closeReply = {0x03, (byte) 0xe9}; // 1001 back: the close handshake completes
      try {
        ws.writeMinimalFrame(8, closeReply);
        ws.output().flush();
      } catch (IOException alreadyClosed) {
        // the server's grace for the reply ran out: nothing to complete
      }
      stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      ws.close();
      assertThat(closeCode).isEqualTo(1001);
      long sent = answered.getOrDefault(200, 0);
      assertThat(answered.keySet()).containsOnly(200);
      // The drain happened in the middle of the stream, not after it.
      assertThat(sent).isGreaterThan(50).isLessThan(written.get());
      server.restart();
      // Every message answered "sent" is stored. (Stored but unanswered ones are resent by the client's outbox and
      // dropped as copies by the recipient; some runs store more than were answered before the 1001: open, ADR 0152.)
      assertThat(server.queued(bob.accountId(), bob.deviceId())).isGreaterThanOrEqualTo(sent);
    }
  }

  /** With every client gone quietly the drain takes no grace; the connections all hear 1001. */
  @Test
  void everyConnectedClientIsToldToReconnect() throws Exception {
    try (TestServer server = TestServer.builder().setting("PARLEY_SERVER_SHUTDOWN_GRACE", "10s").start()) {
      List<WsClient> clients = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Api.Device device = server.api.register("+1555335" + String.format("%04d", i));
        WsClient ws = WsClient.connect(server.webSocketUri(), device);
        assertThat(ws.nextServerRequest(WAIT).getPath()).isEqualTo("/api/v1/queue/empty");
        clients.add(ws);
      }
      long started = System.nanoTime();
      server.stop();
      long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      for (WsClient ws : clients) {
        assertThat(ws.awaitClose().code()).isEqualTo(1001);
      }
      // Far below the 10 s grace: the drain waits for answers, not for the deadline.
      assertThat(drainMillis).isLessThan(5_000);
    }
  }

  /** On PostgreSQL: a server whose database refuses connections is not ready, and is again once it answers. */
  @Test
  void notReadyWhileTheDatabaseDoesNotAnswer() throws Exception {
    String url = PostgresTestCluster.shared().newDatabase();
    String name = url.substring(url.lastIndexOf('/') + 1);
    try (TestServer server = TestServer.start(Map.of(
        "PARLEY_STORAGE_BACKEND", "postgres",
        "PARLEY_DATABASE_URL", url,
        "PARLEY_DATABASE_USER", PostgresTestCluster.USER))) {
      URI ready = server.url().resolve("/ready");
      assertThat(status(ready)).isEqualTo("200 ready");
      try (Connection admin = DriverManager.getConnection(PostgresTestCluster.shared().url("postgres"),
          PostgresTestCluster.USER, ""); Statement sql = admin.createStatement()) {
        sql.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false");
        sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
        await().atMost(WAIT).until(() -> status(ready).equals("503 database unreachable"));
        assertThat(status(server.adminUrl().resolve("/ready"))).isEqualTo("503 database unreachable");
        assertThat(status(server.url().resolve("/health"))).isEqualTo("200 ok");
        sql.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS true");
        await().atMost(WAIT).until(() -> status(ready).equals("200 ready"));
      }
    }
  }
}
