package org.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.server.support.RawHttp;
import org.parley.server.support.TestServer;
import org.slf4j.LoggerFactory;

/**
 * The PROXY protocol (ADR 0170): behind a load balancer every connection comes from the balancer, so the per-address
 * and per-network limits must count the client its header names. Raw sockets on loopback play the proxy, sending
 * the headers HAProxy's {@code send-proxy} (v1) and {@code send-proxy-v2} send, against a real server.
 */
class ProxyProtocolTest {

  private static final int PER_ADDRESS = 3;
  private static final int FAILED_LOGINS = 4;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of(
        "PARLEY_SERVER_PROXY_PROTOCOL", "true",
        "PARLEY_SERVER_PROXY_HEADER_TIMEOUT", "1s",
        "PARLEY_SERVER_MAX_CONNECTIONS_PER_IP", Integer.toString(PER_ADDRESS),
        "PARLEY_RATE_LIMITS_FAILED_LOGINS_PER_NETWORK", FAILED_LOGINS + "/1h"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void eachClientBehindTheProxyHasItsOwnConnectionCap() throws IOException {
    List<RawHttp> held = new ArrayList<>();
    try {
      for (String client : List.of("192.0.2.1", "192.0.2.2")) {
        for (int i = 0; i < PER_ADDRESS; i++) {
          RawHttp http = proxied(i % 2 == 0 ? v1(client) : v2(client));
          held.add(http);
          assertThat(http.head("GET", "/health").read().status()).as("%s, connection %d", client, i).isEqualTo(200);
        }
      }
      // All six came from loopback: without the header they would have shared one cap of three.
      try (RawHttp oneTooMany = proxied(v1("192.0.2.1"))) {
        oneTooMany.head("GET", "/health");
        assertThat(oneTooMany.closedByServer()).isTrue();
      }
      try (RawHttp anotherClient = proxied(v2("2001:db8::7"))) {
        assertThat(anotherClient.head("GET", "/health").read().status()).isEqualTo(200);
      }
    } finally {
      for (RawHttp http : held) {
        http.close();
      }
    }
  }

  @Test
  void failedLoginsAreCountedPerNetworkOfTheHeadersAddress() throws IOException {
    String wrong = "Authorization: Basic " + Base64.getEncoder()
        .encodeToString("no-such-account.1:wrong-password".getBytes(StandardCharsets.UTF_8));
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < FAILED_LOGINS + 2; i++) {
      // Two addresses of one /24: one network, one allowance.
      try (RawHttp guess = proxied(i % 2 == 0 ? v1("203.0.113.5") : v2("203.0.113.77"))) {
        statuses.add(guess.head("GET", "/v1/accounts/me", wrong).read().status());
      }
    }
    assertThat(statuses.subList(0, FAILED_LOGINS)).containsOnly(401);
    assertThat(statuses.subList(FAILED_LOGINS, statuses.size())).containsOnly(429);
    // Another client behind the same proxy is not refused with that network.
    try (RawHttp other = proxied(v1("198.51.100.20"))) {
      assertThat(other.head("GET", "/v1/accounts/me", wrong).read().status()).isEqualTo(401);
    }
  }

  @Test
  void healthChecksWithoutAClientAddressAreServed() throws IOException {
    try (RawHttp unknown = proxied("PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII))) {
      assertThat(unknown.head("GET", "/health").read().status()).isEqualTo(200);
    }
    try (RawHttp local = proxied(v2Local())) {
      assertThat(local.head("GET", "/health").read().status()).isEqualTo(200);
    }
  }

  @Test
  void aConnectionWithoutAValidHeaderIsClosed() throws IOException {
    double before = refused(server, "invalid");
    try (RawHttp plain = new RawHttp(server.port())) {
      plain.head("GET", "/health");
      assertThat(plain.closedByServer()).as("plain HTTP, no header").isTrue();
    }
    try (RawHttp garbled = proxied("PROXY TCP4 not-an-address 192.0.2.9 1 2\r\n".getBytes(StandardCharsets.US_ASCII))) {
      garbled.head("GET", "/health");
      assertThat(garbled.closedByServer()).as("garbled v1").isTrue();
    }
    try (RawHttp longLine = proxied(("PROXY TCP4 " + "1".repeat(200)).getBytes(StandardCharsets.US_ASCII))) {
      assertThat(longLine.closedByServer()).as("a v1 line past 107 bytes").isTrue();
    }
    try (RawHttp oversize = proxied(v2Header(0x21, 0x11, 60_000))) {
      assertThat(oversize.closedByServer()).as("a v2 header claiming 60,000 bytes").isTrue();
    }
    assertThat(refused(server, "invalid") - before).isEqualTo(4);
  }

  @Test
  void aHeaderThatDoesNotArriveInTimeIsCutOff() throws IOException {
    double before = refused(server, "timeout");
    try (RawHttp slow = proxied("PROXY TCP4 192.0.2".getBytes(StandardCharsets.US_ASCII))) {
      assertThat(slow.closedByServer()).isTrue();
    }
    assertThat(refused(server, "timeout") - before).isEqualTo(1);
  }

  @Test
  void connectionsFromAnUntrustedAddressAreRefusedWithoutFloodingTheLog() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger gateLog = (Logger) LoggerFactory.getLogger(ProxyProtocolGate.class);
    log.start();
    gateLog.addAppender(log);
    try (TestServer onlyFromElsewhere = TestServer.start(Map.of(
        "PARLEY_SERVER_PROXY_PROTOCOL", "true",
        "PARLEY_SERVER_TRUSTED_PROXIES", "192.0.2.0/24, 2001:db8::/32"))) {
      for (int i = 0; i < 20; i++) {
        try (RawHttp fromLoopback = new RawHttp(onlyFromElsewhere.port())) {
          try {
            fromLoopback.send(v1("192.0.2.1"), 0, v1("192.0.2.1").length).head("GET", "/health");
          } catch (IOException closedAlready) {
            // refused at accept
          }
          assertThat(fromLoopback.closedByServer()).isTrue();
        }
      }
      assertThat(refused(onlyFromElsewhere, "untrusted")).isEqualTo(20);
      assertThat(log.list).filteredOn(event -> event.getLevel() == Level.WARN).hasSize(1)
          .first().extracting(ILoggingEvent::getFormattedMessage).asString()
          .contains("does not come from a trusted proxy");
    } finally {
      gateLog.detachAppender(log);
    }
  }

  @Test
  void withTheProxyProtocolOffAHeaderIsNotBelieved() throws Exception {
    try (TestServer off = TestServer.start(Map.of("PARLEY_SERVER_MAX_CONNECTIONS_PER_IP", "1"))) {
      try (RawHttp first = new RawHttp(off.port())) {
        assertThat(first.head("GET", "/health").read().status()).isEqualTo(200);
        // A client cannot claim another address to escape its cap: the header is not read, the cap still holds.
        try (RawHttp claiming = new RawHttp(off.port())) {
          try {
            claiming.send(v1("192.0.2.1"), 0, v1("192.0.2.1").length).head("GET", "/health");
          } catch (IOException closedAlready) {
            // refused at accept, before anything it sends is read
          }
          assertThat(claiming.closedByServer()).isTrue();
        }
      }
    }
  }

  private static RawHttp proxied(byte[] header) throws IOException {
    return new RawHttp(server.port()).send(header, 0, header.length);
  }

  private static byte[] v1(String client) {
    String family = client.contains(":") ? "TCP6" : "TCP4";
    String proxy = client.contains(":") ? "2001:db8::1" : "192.0.2.254";
    return ("PROXY " + family + " " + client + " " + proxy + " 51234 443\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** A v2 PROXY header for TCP over IPv4 or IPv6, as send-proxy-v2 writes it (no TLVs). */
  private static byte[] v2(String client) throws IOException {
    byte[] source = InetAddress.getByName(client).getAddress();
    byte[] destination = new byte[source.length];
    destination[0] = (byte) (source.length == 4 ? 192 : 0x20);
    int length = 2 * source.length + 4;
    ByteBuffer header = ByteBuffer.wrap(v2Header(0x21, source.length == 4 ? 0x11 : 0x21, length));
    header.position(16);
    header.put(source).put(destination).putShort((short) 51234).putShort((short) 443);
    return header.array();
  }

  private static byte[] v2Local() {
    return v2Header(0x20, 0x00, 0);
  }

  /** The 16 fixed bytes: signature, version and command, family and transport, length; then {@code length} zeros. */
  private static byte[] v2Header(int versionCommand, int familyTransport, int length) {
    ByteBuffer header = ByteBuffer.allocate(16 + length);
    header.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    header.put((byte) versionCommand).put((byte) familyTransport).putShort((short) length);
    return header.array();
  }

  private static double refused(TestServer of, String reason) {
    String prefix = "parley_proxy_refused_total{reason=\"" + reason + "\"";
    return of.metrics().lines().filter(line -> line.startsWith(prefix))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }
}
