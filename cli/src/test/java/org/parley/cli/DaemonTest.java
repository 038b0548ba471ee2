package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.DeviceRevoked;
import org.parley.client.api.ParleyClient;
import org.parley.testing.Linker;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Recorder;
import org.parley.testing.Users;

/** {@code parley daemon}: JSON-RPC 2.0 over stdin/stdout against a real server and a second real user. */
class DaemonTest {

  static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  /** Parses each line written to it as JSON into {@code lines}, from whichever thread writes. */
  static final class LineSink extends OutputStream {
    private final List<JsonNode> lines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineSink(List<JsonNode> lines) {
      this.lines = lines;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      if (b == '\n') {
        lines.add(Json.MAPPER.readTree(line.toString(StandardCharsets.UTF_8)));
        line.reset();
      } else {
        line.write(b);
      }
    }
  }

  /** A daemon running in this JVM, fed through a pipe; every line it prints is parsed and kept. */
  static final class Daemon implements AutoCloseable {
    final List<JsonNode> lines = new CopyOnWriteArrayList<>();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final OutputStream stdin;
    final CompletableFuture<Integer> exit;

    Daemon(Path dataDir) throws Exception {
      PipedInputStream daemonIn = new PipedInputStream(1 << 16);
      stdin = new PipedOutputStream(daemonIn);
      // Not a pipe: PipedInputStream gives up ("write end dead") once the last thread that wrote to it has ended,
      // and the daemon writes notifications from the WebSocket's read thread, which ends when the socket closes.
      OutputStream daemonOut = new LineSink(lines);
      exit = CompletableFuture.supplyAsync(
          () -> ParleyCli.run(new String[] {"-d", dataDir.toString(), "daemon"}, daemonIn, daemonOut, err));
    }

    void send(String json) throws Exception {
      stdin.write((json + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    }

    JsonNode answer(int id) {
      await().atMost(WAIT).until(() -> lines.stream().anyMatch(l -> l.path("id").asInt(-1) == id));
      return lines.stream().filter(l -> l.path("id").asInt(-1) == id).findFirst().orElseThrow();
    }

    List<JsonNode> notifications(String method) {
      return lines.stream().filter(l -> method.equals(l.path("method").asText())).toList();
    }

    @Override
    public void close() throws IOException, ExecutionException,
        TimeoutException {
      stdin.close();
      try {
        exit.get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void sendReceiveHistoryAndErrorsOverJsonRpc() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    try (Daemon daemon = new Daemon(a)) {
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"send\",\"params\":{\"number\":\"" + bob
          + "\",\"text\":\"from the bot\"}}");
      JsonNode sent = daemon.answer(1);
      assertThat(sent.path("result").path("text").asText()).isEqualTo("from the bot");
      assertThat(sent.path("result").path("status").asText()).isEqualTo("pending");

      Cli.Result bobReceives = Cli.run(b, "receive", "--timeout", "1");
      assertThat(bobReceives.out()).contains(alice + ": from the bot");
      await().atMost(WAIT).until(() -> daemon.notifications("status").stream()
          .anyMatch(n -> n.path("params").path("status").asText().equals("delivered")));

      assertThat(Cli.run(b, "send", alice, "hello bot").code()).isZero();
      await().atMost(WAIT).until(() -> daemon.notifications("receive").size() == 1);
      JsonNode received = daemon.notifications("receive").get(0).path("params");
      assertThat(received.path("number").asText()).isEqualTo(bob);
      assertThat(received.path("text").asText()).isEqualTo("hello bot");

      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"history\",\"params\":{\"number\":\"" + bob + "\"}}");
      JsonNode history = daemon.answer(2).path("result");
      assertThat(history).hasSize(2);
      assertThat(history.get(0).path("status").asText()).isEqualTo("delivered");
      assertThat(history.get(1).path("text").asText()).isEqualTo("hello bot");

      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"markRead\",\"params\":{\"number\":\"" + bob + "\"}}");
      assertThat(daemon.answer(3).path("result").path("count").asInt()).isEqualTo(1);

      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"nope\"}");
      assertThat(daemon.answer(4).path("error").path("code").asInt()).isEqualTo(JsonRpc.METHOD_NOT_FOUND);
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"send\",\"params\":{\"number\":\"" + bob + "\"}}");
      assertThat(daemon.answer(5).path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_PARAMS);
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"send\",\"params\":{\"number\":\""
          + Users.newNumber() + "\",\"text\":\"x\"}}");
      assertThat(daemon.answer(6).path("error").path("code").asInt()).isEqualTo(JsonRpc.NOT_FOUND);
      daemon.send("{this is not json");
      await().atMost(WAIT).until(() -> daemon.lines.stream()
          .anyMatch(l -> l.path("error").path("code").asInt() == JsonRpc.PARSE_ERROR));
      daemon.send("{\"jsonrpc\":\"2.0\",\"method\":\"contacts\"}"); // a notification: no answer
      daemon.send("[{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"contacts\"},{\"jsonrpc\":\"1.0\",\"id\":8}]");
      await().atMost(WAIT).until(() -> daemon.lines.stream().anyMatch(JsonNode::isArray));
      JsonNode batch = daemon.lines.stream().filter(JsonNode::isArray).findFirst().orElseThrow();
      assertThat(batch).hasSize(2);
      assertThat(batch.get(0).path("result").get(0).path("number").asText()).isEqualTo(bob);
      assertThat(batch.get(1).path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_REQUEST);
    }
    // The read receipt went out before the daemon exited: Bob sees "read".
    Cli.Result bobReceives = Cli.run(b, "receive", "--timeout", "1");
    assertThat(bobReceives.out()).contains("[✓✓ read] hello bot");
  }

  @Test
  void aDaemonSendsAttachmentsAndSavesReceivedOnes(@TempDir Path temp) throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path outgoing = TestFiles.random(temp, "from-bot.bin", 100_000, 1);
    Path incoming = TestFiles.random(temp, "for-bot.bin", 60_000, 2);
    try (Daemon daemon = new Daemon(a)) {
      ObjectNode send = request(1, "send");
      params(send).put("number", bob).put("text", "a file from the bot")
          .putArray("attachments").add(outgoing.toString());
      daemon.send(Json.write(send));
      JsonNode sent = daemon.answer(1).path("result");
      assertThat(sent.path("text").asText()).as(sent.toString()).isEqualTo("a file from the bot");
      assertThat(sent.path("attachments").get(0).path("fileName").asText()).isEqualTo("from-bot.bin");
      await().atMost(WAIT).until(() -> daemon.notifications("status").stream()
          .anyMatch(n -> n.path("params").path("status").asText().equals("sent")));

      Path bobSaves = Files.createDirectory(temp.resolve("bob"));
      Cli.Result bobReceives = Cli.run(b, "receive", "--timeout", "1", "--save-dir", bobSaves.toString());
      assertThat(bobReceives.code()).as(bobReceives.err()).isZero();
      assertThat(TestFiles.sha256(bobSaves.resolve("from-bot.bin"))).isEqualTo(TestFiles.sha256(outgoing));

      assertThat(Cli.run(b, "send", alice, "-a", incoming.toString(), "one for the bot").code()).isZero();
      await().atMost(WAIT).until(() -> daemon.notifications("receive").size() == 1);
      JsonNode received = daemon.notifications("receive").get(0).path("params");
      assertThat(received.path("text").asText()).isEqualTo("one for the bot");
      JsonNode pointer = received.path("attachments").get(0);
      assertThat(pointer.path("fileName").asText()).isEqualTo("for-bot.bin");
      assertThat(pointer.path("size").asLong()).isEqualTo(60_000);
      long id = pointer.path("id").asLong();

      ObjectNode download = request(2, "downloadAttachment");
      params(download).put("id", id);
      daemon.send(Json.write(download));
      assertThat(daemon.answer(2).path("result").path("id").asLong()).isEqualTo(id);
      await().atMost(WAIT).until(() -> daemon.notifications("attachment").stream()
          .anyMatch(n -> n.path("params").path("id").asLong() == id
              && n.path("params").path("state").asText().equals("downloaded")));

      Path dir = Files.createDirectory(temp.resolve("alice"));
      ObjectNode save = request(3, "saveAttachment");
      params(save).put("id", id).put("dir", dir.toString());
      daemon.send(Json.write(save));
      JsonNode saved = daemon.answer(3).path("result");
      assertThat(saved.path("savedPath").asText()).as(saved.toString()).isEqualTo(dir.resolve("for-bot.bin")
          .toString());
      assertThat(TestFiles.sha256(dir.resolve("for-bot.bin"))).isEqualTo(TestFiles.sha256(incoming));

      ObjectNode missing = request(4, "send");
      params(missing).put("number", bob).putArray("attachments").add(temp.resolve("nope").toString());
      daemon.send(Json.write(missing));
      JsonNode error = daemon.answer(4).path("error");
      assertThat(error.path("code").asInt()).isEqualTo(JsonRpc.INVALID_PARAMS);
      assertThat(error.path("message").asText()).contains("no such file");
      ObjectNode unknown = request(5, "saveAttachment");
      params(unknown).put("id", 987654).put("dir", dir.toString());
      daemon.send(Json.write(unknown));
      assertThat(daemon.answer(5).path("error").path("code").asInt()).isEqualTo(JsonRpc.NOT_FOUND);
    }
  }

  private static ObjectNode params(ObjectNode request) {
    return (ObjectNode) request.get("params");
  }

  private static ObjectNode request(int id, String method) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", id);
    request.put("method", method);
    request.putObject("params");
    return request;
  }

  @Test
  void aPrimaryLinksAndUnlinksADeviceOverJsonRpc() throws Exception {
    String alice = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    try (Daemon daemon = new Daemon(a)) {
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"listDevices\"}");
      JsonNode before = daemon.answer(1).path("result");
      assertThat(before).hasSize(1);
      assertThat(before.get(0).path("id").asInt()).isEqualTo(1);
      assertThat(before.get(0).path("primary").asBoolean()).isTrue();
      assertThat(before.get(0).path("thisDevice").asBoolean()).isTrue();

      Linker laptop = parley.link("laptop");
      try (ParleyClient device = laptop.client) {
        String link = laptop.currentLink();
        daemon.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"addDevice\",\"params\":{\"uri\":\"" + link
            + "\",\"profileName\":\"Alice\"}}");
        JsonNode added = daemon.answer(2);
        assertThat(added.path("result").path("id").asInt()).as(added.toString()).isEqualTo(2);
        assertThat(added.path("result").path("name").asText()).isEqualTo("laptop");
        assertThat(added.path("result").path("primary").asBoolean()).isFalse();
        assertThat(laptop.awaitLinked().profileName()).isEqualTo("Alice");
        assertThat(device.account().number()).isEqualTo(alice);

        daemon.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"listDevices\"}");
        JsonNode listed = daemon.answer(3).path("result");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(1).path("id").asInt()).isEqualTo(2);
        assertThat(listed.get(1).path("thisDevice").asBoolean()).isFalse();

        Recorder events = new Recorder();
        device.addListener(events);
        device.connect();
        await().atMost(WAIT).until(() -> events.connections.stream().anyMatch(c -> c.startsWith("true")));

        // Errors, mapped like the other methods'.
        daemon.send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"addDevice\",\"params\":{\"uri\":\"" + link
            + "\"}}");
        assertThat(daemon.answer(4).path("error").path("code").asInt()).isEqualTo(JsonRpc.NOT_FOUND); // used up
        daemon.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"addDevice\",\"params\":{\"uri\":\"https://x\"}}");
        assertThat(daemon.answer(5).path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_PARAMS);
        daemon.send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"addDevice\",\"params\":{}}");
        assertThat(daemon.answer(6).path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_PARAMS);
        daemon.send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"unlinkDevice\",\"params\":{\"id\":\"2\"}}");
        assertThat(daemon.answer(7).path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_PARAMS);
        daemon.send("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"unlinkDevice\",\"params\":{\"id\":1}}");
        JsonNode primary = daemon.answer(8).path("error");
        assertThat(primary.path("code").asInt()).isEqualTo(JsonRpc.INVALID_PARAMS);
        assertThat(primary.path("message").asText()).contains("primary device cannot be unlinked");
        daemon.send("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"unlinkDevice\",\"params\":{\"id\":7}}");
        assertThat(daemon.answer(9).path("error").path("code").asInt()).isEqualTo(JsonRpc.NOT_FOUND);
        assertThat(events.revocations).isEmpty();

        daemon.send("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"unlinkDevice\",\"params\":{\"id\":2}}");
        assertThat(daemon.answer(10).has("result")).isTrue();
        await().atMost(WAIT).until(() -> !events.revocations.isEmpty());
        assertThat(events.revocations.get(0).reason()).isEqualTo(DeviceRevoked.Reason.UNLINKED);
        daemon.send("{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"listDevices\"}");
        assertThat(daemon.answer(11).path("result")).extracting(d -> d.path("id").asInt()).containsExactly(1);
      }
    }
  }

  @Test
  void aDaemonOnALinkedDeviceIsToldOnceWhenThePrimaryUnlinksIt() throws Exception {
    String alice = Users.newNumber();
    try (ParleyClient phone = parley.register(alice).client()) {
      Linker laptop = parley.link("laptop");
      try (ParleyClient device = laptop.client) {
        phone.addDevice(laptop.currentLink(), "");
        laptop.awaitLinked();
      }
      try (Daemon daemon = new Daemon(laptop.dataDir)) {
        daemon.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"listDevices\"}");
        assertThat(daemon.answer(1).path("result")).hasSize(2);
        phone.unlink(2);
        await().atMost(WAIT).until(() -> !daemon.notifications("revoked").isEmpty());
        JsonNode revoked = daemon.notifications("revoked").get(0).path("params");
        assertThat(revoked.path("reason").asText()).isEqualTo("unlinked");
        assertThat(revoked.path("message").asText()).contains("unlinked");
        daemon.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"listDevices\"}");
        assertThat(daemon.answer(2).path("error").path("code").asInt()).isEqualTo(JsonRpc.AUTHENTICATION);
        Thread.sleep(1_000);
        assertThat(daemon.notifications("revoked")).hasSize(1);
      }
    }
  }
}
