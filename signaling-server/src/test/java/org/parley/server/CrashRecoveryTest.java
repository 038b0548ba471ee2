package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.WebSocketRequest;
import org.parley.server.support.Api;
import org.parley.server.support.PostgresTestCluster;
import org.parley.server.support.WsClient;

/**
 * Kills the server process with SIGKILL while senders are still sending, right after 1,000 sends were answered 200,
 * and checks that every answered message is still there after a restart: "sent" means durable.
 */
class CrashRecoveryTest {

  private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");

  private record ServerProcess(Process process, int port) {}

  /** {@code queue}: "log" or "h2" on the embedded database, "postgres" for everything on PostgreSQL. */
  private static ServerProcess launch(Path dataDir, String queue, String postgresUrl) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "org.parley.server.ServerMain", "serve", "--port", "0", "--data-dir", dataDir.toString())
        .redirectError(dataDir.resolveSibling(dataDir.getFileName() + "-server.log").toFile());
    builder.environment().put("PARLEY_RATE_LIMITS_MESSAGE_SENDS", "100000/1s");
    if (queue.equals("postgres")) {
      builder.environment().put("PARLEY_STORAGE_BACKEND", "postgres");
      builder.environment().put("PARLEY_DATABASE_URL", postgresUrl);
      builder.environment().put("PARLEY_DATABASE_USER", PostgresTestCluster.USER);
    } else {
      builder.environment().put("PARLEY_STORAGE_MESSAGE_QUEUE", queue);
    }
    builder.environment().put("PARLEY_TURN_LISTENING_PORT", "0");
    // Any free admin port: another server on this machine may hold the default one.
    builder.environment().put("PARLEY_ADMIN_PORT", "0");
    Process process = builder.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        return new ServerProcess(process, Integer.parseInt(m.group(1)));
      }
    }
    throw new AssertionError("server did not start; see " + dataDir + "-server.log");
  }

  @ParameterizedTest(name = "storage: {0}")
  @ValueSource(strings = {"log", "h2", "postgres"})
  void killDashNineLosesNoAcknowledgedMessage(String messageQueue) throws Exception {
    Path dataDir = Files.createTempDirectory("parley-crash");
    String postgresUrl = messageQueue.equals("postgres") ? PostgresTestCluster.shared().newDatabase() : null;
    ServerProcess first = launch(dataDir, messageQueue, postgresUrl);
    Api api = new Api(URI.create("http://127.0.0.1:" + first.port()), dataDir);
    Api.Device alice = api.register("+15556660001");
    Api.Device bob = api.register("+15556660002");

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    ExecutorService senders = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      senders.execute(() -> {
        while (!killed.get()) {
          String text = "m" + next.getAndIncrement();
          try {
            Api.Response r = api.call("PUT", "/v1/messages/" + bob.accountId(), SendMessageRequest.newBuilder()
                .setTimestamp(System.currentTimeMillis())
                .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
                    .setDestinationRegistrationId(bob.registrationId()).setContent(WsClient.bytes(text)))
                .build(), alice);
            if (r.status() == 200) {
              acknowledged.add(text);
              if (acknowledged.size() >= 1000 && killed.compareAndSet(false, true)) {
                first.process().destroyForcibly(); // SIGKILL, with other sends still in flight
              }
            }
          } catch (RuntimeException connectionLost) {
            // expected once the process is gone
          }
        }
      });
    }
    senders.shutdown();
    assertThat(senders.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
    assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(1000);

    ServerProcess second = launch(dataDir, messageQueue, postgresUrl);
    try (WsClient ws = WsClient.connect(URI.create("ws://127.0.0.1:" + second.port() + "/v1/websocket"), bob)) {
      Set<String> received = new HashSet<>();
      while (true) {
        WebSocketRequest request = ws.nextServerRequest(Duration.ofSeconds(20));
        assertThat(request).as("queue drains, then says empty").isNotNull();
        if (request.getPath().equals("/api/v1/queue/empty")) {
          break;
        }
        received.add(WsClient.envelope(request).getContent().toStringUtf8());
        ws.answer(request, 200);
      }
      assertThat(received).containsAll(acknowledged);
    } finally {
      second.process().destroy();
      second.process().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
