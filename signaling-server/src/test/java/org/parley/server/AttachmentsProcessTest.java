package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.parley.server.support.Api;
import org.parley.server.support.AttachmentCalls;
import org.parley.server.support.GeneratedBytes;
import org.parley.server.support.RawHttp;

/**
 * The server as its own process with a 64 MiB heap: a 300 MiB attachment cannot fit, so it goes up and comes back
 * only if nothing holds it whole. Half way up the server is killed with SIGKILL; after a restart the upload goes on
 * from the offset the server reports.
 */
class AttachmentsProcessTest {

  private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");
  private static final long SIZE = 300L << 20;
  private static final long SEED = 42;

  private record ServerProcess(Process process, int port) {}

  private static ServerProcess launch(Path dataDir) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:MaxDirectMemorySize=64m", "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"),
        "org.parley.server.ServerMain", "serve", "--port", "0", "--data-dir", dataDir.toString())
        .redirectError(dataDir.resolveSibling(dataDir.getFileName() + "-server.log").toFile());
    builder.environment().put("PARLEY_TURN_LISTENING_PORT", "0");
    builder.environment().put("PARLEY_ATTACHMENTS_MAX_SIZE", "1g");
    // Any free admin port: another server on this machine may hold the default one.
    builder.environment().put("PARLEY_ADMIN_PORT", "0");
    Process process = builder.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        return new ServerProcess(process, Integer.parseInt(m.group(1)));
      }
    }
    throw new AssertionError("server did not start; see " + dataDir + "-server.log");
  }

  /** Streams bytes [from, to) of the generated attachment over a raw PUT; returns the answer's status or -1. */
  private static void send(RawHttp raw, long from, long to) throws Exception {
    try (InputStream bytes = new GeneratedBytes(SEED, from, to)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = bytes.read(buffer)) > 0; ) {
        raw.send(buffer, 0, n);
      }
    }
  }

  @Test
  void a300MibAttachmentPassesThroughA64MibHeapAndSurvivesAKillDashNine() throws Exception {
    Path dataDir = Files.createTempDirectory("parley-attach-process");
    ServerProcess first = launch(dataDir);
    ServerProcess second = null;
    try {
      Api api = new Api(URI.create("http://127.0.0.1:" + first.port()), dataDir);
      Api.Device alice = api.register("+15558882001");
      String id = new AttachmentCalls(api).slot(alice, SIZE).getId();

      long killAt = SIZE / 2;
      RawHttp raw = new RawHttp(first.port());
      raw.head("PUT", "/v1/attachments/" + id, "Authorization: " + alice.basicAuth(), "Content-Length: " + SIZE);
      send(raw, 0, killAt);
      await().atMost(Duration.ofSeconds(30)).until(() ->
          new AttachmentCalls(api).status(alice, id).getReceived() >= killAt / 2);
      first.process().destroyForcibly(); // SIGKILL, mid-upload
      assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      raw.close();

      second = launch(dataDir);
      Api restarted = new Api(URI.create("http://127.0.0.1:" + second.port()), dataDir);
      AttachmentCalls calls = new AttachmentCalls(restarted);
      long received = calls.status(alice, id).getReceived();
      assertThat(received).isBetween(killAt / 2, killAt);

      try (RawHttp rest = new RawHttp(second.port())) {
        rest.head("PUT", "/v1/attachments/" + id, "Authorization: " + alice.basicAuth(),
            "Content-Range: bytes " + received + "-" + (SIZE - 1) + "/" + SIZE,
            "Content-Length: " + (SIZE - received));
        send(rest, received, SIZE);
        RawHttp.Answer answer = rest.read();
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
      }

      HttpURLConnection download = (HttpURLConnection) URI.create("http://127.0.0.1:" + second.port()
          + "/v1/attachments/" + id).toURL().openConnection();
      assertThat(download.getResponseCode()).isEqualTo(200);
      assertThat(download.getContentLengthLong()).isEqualTo(SIZE);
      String downloaded;
      try (InputStream body = download.getInputStream()) {
        downloaded = AttachmentCalls.sha256(body);
      }
      assertThat(downloaded).isEqualTo(AttachmentCalls.sha256(new GeneratedBytes(SEED, 0, SIZE)));
      assertThat(second.process().isAlive()).as("no OutOfMemoryError").isTrue();
      assertThat(restarted.send("GET", "/health", new byte[0], "text/plain", null).text()).isEqualTo("ok\n");
    } finally {
      first.process().destroyForcibly();
      if (second != null) {
        second.process().destroy();
        second.process().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
