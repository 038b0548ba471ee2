package org.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.server.support.RawHttp;
import org.parley.server.support.TestServer;

/**
 * Issue #17, finding 2: before any authentication, each connection could hold a 1 MiB body, a trickle of bytes kept
 * it open for ever, and one address could open as many as it liked. Run against a real server.
 */
class ConnectionLimitsTest {

  private static final int PER_ADDRESS = 6;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of(
        "PARLEY_SERVER_MAX_CONNECTIONS_PER_IP", Integer.toString(PER_ADDRESS),
        "PARLEY_SERVER_REQUEST_TIMEOUT", "2s"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void oneAddressHoldsAtMostItsShareOfConnections() throws IOException {
    List<RawHttp> held = new ArrayList<>();
    try {
      for (int i = 0; i < PER_ADDRESS; i++) {
        RawHttp http = new RawHttp(server.port());
        held.add(http);
        assertThat(http.head("GET", "/health").read().status()).isEqualTo(200); // accepted and counted
      }
      try (RawHttp oneTooMany = new RawHttp(server.port())) {
        assertThat(oneTooMany.closedByServer()).isTrue();
      }
      held.remove(0).close();
      // The freed slot is taken again once the server has seen the close.
      Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
        try (RawHttp again = new RawHttp(server.port())) {
          return again.head("GET", "/health").read().status() == 200;
        }
      });
    } finally {
      for (RawHttp http : held) {
        http.close();
      }
    }
  }

  @Test
  void aRequestTrickledByteByByteIsCutOffAtTheRequestTimeout() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      http.head("POST", "/v1/verification/session", "Content-Type: application/json", "Content-Length: 1000");
      byte[] one = "x".getBytes(StandardCharsets.US_ASCII);
      RawHttp.Answer answer = null;
      // Each byte comes well within the idle timeout; only the whole-request deadline can stop this.
      for (int i = 0; i < 200 && answer == null; i++) {
        try {
          http.send(one, 0, 1);
        } catch (IOException closed) {
          break;
        }
        Thread.sleep(100);
        if (http.input().available() > 0) {
          answer = http.read();
        }
      }
      if (answer == null) {
        answer = http.read();
      }
      assertThat(answer.status()).isEqualTo(408);
      assertThat(answer.text()).contains("request_timeout");
    }
  }

  @Test
  void aBodyWithoutCredentialsOverTheSmallLimitIsRefusedBeforeItIsRead() throws IOException {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Answer answer = http.head("POST", "/v1/verification/session", "Content-Type: application/json",
          "Content-Length: " + (RequestGuard.UNAUTHENTICATED_BODY + 1)).read();
      assertThat(answer.status()).isEqualTo(413);
      assertThat(answer.text()).contains("without credentials");
    }
    try (RawHttp chunked = new RawHttp(server.port())) {
      chunked.head("POST", "/v1/verification/session", "Content-Type: application/json",
          "Transfer-Encoding: chunked");
      byte[] piece = new byte[16 * 1024];
      RawHttp.Answer answer = null;
      for (int i = 0; i < 16 && answer == null; i++) {
        try {
          chunked.chunk(piece, 0, piece.length);
        } catch (IOException closed) {
          break;
        }
        if (chunked.input().available() > 0) {
          answer = chunked.read();
        }
      }
      assertThat(answer == null ? chunked.read() : answer).extracting(RawHttp.Answer::status).isEqualTo(413);
    }
  }
}
