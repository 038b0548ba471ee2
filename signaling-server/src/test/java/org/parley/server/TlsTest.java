package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
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
}
