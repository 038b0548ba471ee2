package org.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.server.support.Api;
import org.parley.server.support.RawWebSocket;
import org.parley.server.support.TestServer;

/**
 * Issue #17, finding 1: a device that sent pings and never read the pongs made the server buffer them all (159 MB in
 * 5 s on a 256 MB heap: event loops died of OutOfMemoryError). Now the server stops reading a client that does not
 * read, and cuts it off after the idle timeout even though its close frame cannot get through.
 */
class WebSocketBackpressureTest {

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of("PARLEY_SERVER_IDLE_TIMEOUT", "4s"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aClientThatPingsAndNeverReadsIsNoLongerReadAndIsCutOff() throws Exception {
    Api.Device attacker = server.api.register("+15557795001");
    ByteArrayOutputStream batch = new ByteArrayOutputStream();
    byte[] ping = RawWebSocket.pingFrame(125);
    while (batch.size() < 64 * 1024) {
      batch.write(ping);
    }
    byte[] pings = batch.toByteArray();
    AtomicLong written = new AtomicLong();
    AtomicBoolean cutOff = new AtomicBoolean();
    try (RawWebSocket socket = new RawWebSocket(server.port(), attacker.basicAuth())) {
      OutputStream out = socket.output();
      Thread flood = new Thread(() -> {
        try {
          // At most 1 GiB: without back-pressure the server takes it all (and the test heap would tell).
          while (written.get() < (1L << 30)) {
            out.write(pings);
            written.addAndGet(pings.length);
          }
        } catch (IOException closedByServer) {
          cutOff.set(true);
        }
      }, "ping-flood");
      flood.setDaemon(true);
      flood.start();

      // The server stops reading once its answers back up, so the flood stalls on full socket buffers...
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
        long before = written.get();
        Thread.sleep(1000);
        return written.get() == before || cutOff.get();
      });
      assertThat(written.get()).as("bytes of pings the server let in").isLessThan(128L << 20);
      // ...it keeps serving everyone else...
      assertThat(server.api.send("GET", "/health", new byte[0], "text/plain", null).status()).isEqualTo(200);
      // ...and drops the connection after the idle timeout, although its close frame cannot get through.
      Awaitility.await().atMost(Duration.ofSeconds(60)).untilTrue(cutOff);
      flood.join(10_000);
    }
  }
}
