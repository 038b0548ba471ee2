package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.parley.server.support.TestServer;

/** HTTPS and WSS from a PEM certificate and key, checked by a client that trusts only that certificate. */
class TlsTest {

  @Test
  void servesHttpsAndSecureWebSocketsFromPemFiles() throws Exception {
    SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
    try (TestServer server = TestServer.start(Map.of(
        "PARLEY_TLS_CERTIFICATE", cert.certificate().getPath(),
        "PARLEY_TLS_PRIVATE_KEY", cert.privateKey().getPath()))) {
      SSLContext ssl = trusting(cert);
      HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();

      HttpResponse<String> health = client.send(
          HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);

      // A WSS upgrade without credentials reaches the server's auth check through TLS.
      var failure = client.newWebSocketBuilder()
          .buildAsync(URI.create("wss://localhost:" + server.port() + "/v1/websocket"),
              new WebSocket.Listener() {})
          .handle((ws, error) -> error)
          .join();
      assertThat(failure.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      assertThat(((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode())
          .isEqualTo(401);
    } finally {
      cert.delete();
    }
  }

  /**
   * HAProxy in TCP mode sends the PROXY header and then the client's TLS bytes: the header is read before the TLS
   * handshake, and the per-address cap (one here) counts each client behind the proxy on its own.
   */
  @Test
  void theProxyHeaderComesBeforeTheTlsHandshake() throws Exception {
    SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
    try (TestServer server = TestServer.start(Map.of(
        "PARLEY_TLS_CERTIFICATE", cert.certificate().getPath(),
        "PARLEY_TLS_PRIVATE_KEY", cert.privateKey().getPath(),
        "PARLEY_SERVER_PROXY_PROTOCOL", "true",
        "PARLEY_SERVER_MAX_CONNECTIONS_PER_IP", "1"))) {
      SSLContext ssl = trusting(cert);
      try (SSLSocket first = proxiedTls(ssl, server.port(), "192.0.2.1");
          SSLSocket second = proxiedTls(ssl, server.port(), "192.0.2.2")) {
        assertThat(health(first)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(health(second)).isEqualTo("HTTP/1.1 200 OK");
      }
    } finally {
      cert.delete();
    }
  }

  private static SSLSocket proxiedTls(SSLContext ssl, int port, String client) throws Exception {
    Socket plain = new Socket("127.0.0.1", port);
    plain.setSoTimeout(20_000);
    plain.getOutputStream().write(("PROXY TCP4 " + client + " 192.0.2.254 50000 443\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(plain, "localhost", port, true);
    tls.startHandshake();
    return tls;
  }

  /** Sends GET /health and returns the status line (the connection stays open). */
  private static String health(SSLSocket socket) throws Exception {
    socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
  }

  private static SSLContext trusting(SelfSignedCertificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (var in = Files.newInputStream(cert.certificate().toPath())) {
      trust.setCertificateEntry("parley",
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }
}
