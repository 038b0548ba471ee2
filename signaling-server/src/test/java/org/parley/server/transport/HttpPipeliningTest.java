package org.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.server.support.RawHttp;
import org.parley.server.support.TestServer;

/**
 * HTTP/1.1 pipelining (RFC 9112 section 9.3.2): a client may send several requests without waiting, and the answers
 * must come back in the order of the requests. Abuse finding #6 of issue #17: an answer prepared on a worker thread
 * (any routed endpoint) was overtaken by one written at once ({@code /health}).
 */
class HttpPipeliningTest {

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static byte[] requests(String... paths) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (String path : paths) {
      all.writeBytes(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    return all.toByteArray();
  }

  @Test
  void answersComeBackInRequestOrderWhicheverHandlerIsFaster() throws IOException {
    List<String> paths = new ArrayList<>();
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      paths.add("/v1/no-such-endpoint-" + i); // routed: answered from a worker thread
      expected.add(404);
      paths.add("/health"); // answered at once on the network thread
      expected.add(200);
    }
    try (RawHttp http = new RawHttp(server.port())) {
      byte[] pipelined = requests(paths.toArray(String[]::new));
      http.send(pipelined, 0, pipelined.length);
      List<Integer> statuses = new ArrayList<>();
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < paths.size(); i++) {
        RawHttp.Answer answer = http.read();
        statuses.add(answer.status());
        bodies.add(answer.text());
      }
      assertThat(statuses).isEqualTo(expected);
      for (int i = 0; i < paths.size(); i += 2) {
        assertThat(bodies.get(i)).contains(paths.get(i)); // each 404 names its own path: the order is exact
      }
    }
  }

  @Test
  void aConnectionThatPipelinesMoreThanTheLimitIsClosedAndOthersAreServed() throws IOException {
    int sent = HttpRequestHandler.MAX_PIPELINED * 4;
    String[] paths = new String[sent];
    for (int i = 0; i < sent; i++) {
      paths[i] = "/v1/no-such-endpoint-" + i;
    }
    int answered = 0;
    boolean closed = false;
    try (RawHttp http = new RawHttp(server.port())) {
      byte[] pipelined = requests(paths);
      try {
        http.send(pipelined, 0, pipelined.length);
        while (answered < sent) {
          assertThat(http.read().text()).contains(paths[answered]);
          answered++;
        }
      } catch (EOFException | SocketException expected) {
        closed = true; // once too many requests waited (answers in preparation may be dropped with it)
      }
    }
    assertThat(closed).as("closed after %d answers", answered).isTrue();
    assertThat(answered).isLessThanOrEqualTo(HttpRequestHandler.MAX_PIPELINED + 1);
    try (RawHttp other = new RawHttp(server.port())) {
      assertThat(other.head("GET", "/health").read().status()).isEqualTo(200);
    }
  }

  @Test
  void aBadPercentEscapeGetsA400InsteadOfADroppedConnection() throws IOException {
    for (String path : List.of("/v1/accounts/%zz", "/v1/keys/%2", "/%")) {
      try (RawHttp http = new RawHttp(server.port())) {
        RawHttp.Answer answer = http.head("GET", path).read();
        assertThat(answer.status()).as(path).isEqualTo(400);
        assertThat(answer.text()).as(path).contains("malformed_request").contains("percent-escape");
      }
    }
  }
}
