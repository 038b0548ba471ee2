package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SendMessageRequest;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import org.parley.server.support.Api;
import org.parley.server.support.TestServer;
import org.parley.server.support.WsClient;

class OpsTest {

  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void healthAndMetricsReflectTraffic() throws Exception {
    assertThat(server.api.send("GET", "/health", new byte[0], "text/plain", null).text()).isEqualTo("ok\n");
    Api.Device alice = server.api.register("+15557770001");
    Api.Device bob = server.api.register("+15557770002");
    try (WsClient ws = WsClient.connect(server.webSocketUri(), bob)) {
      ws.nextServerRequest(Duration.ofSeconds(10)); // queue empty
      server.api.call("PUT", "/v1/messages/" + bob.accountId(), SendMessageRequest.newBuilder().setTimestamp(1)
          .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
              .setDestinationRegistrationId(bob.registrationId()).setContent(WsClient.bytes("x")))
          .build(), alice);
      String metrics = server.metrics();
      assertThat(metrics)
          .contains("parley_messages_in_total 1.0")
          .contains("parley_connections 1.0")
          .contains("parley_queue_depth 1.0")
          .contains("jvm_memory_used_bytes");
      ws.answer(ws.nextDelivery(Duration.ofSeconds(10)), 200);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
          server.metrics()
              .contains("parley_messages_out_total 1.0"));
      assertThat(server.metrics())
          .contains("parley_delivery_latency_seconds_count 1");
    }
  }

  /** Issue #17 (Low): what the server counts is for its operators, not for anyone who can reach the clients' port. */
  @Test
  void metricsAreServedOnTheAdminPortOnly() throws Exception {
    Api.Response onPublicPort = server.api.send("GET", "/metrics", new byte[0], "text/plain", null);
    assertThat(onPublicPort.status()).isEqualTo(404);
    assertThat(onPublicPort.text()).doesNotContain("jvm_memory").contains("no_such_endpoint");

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(server.adminUrl().resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("content-type")).hasValueSatisfying(type -> type.startsWith("text/plain"));
    assertThat(scrape.body()).contains("parley_connections").contains("jvm_memory_used_bytes");
    assertThat(http.send(HttpRequest.newBuilder(server.adminUrl().resolve("/health")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok\n");
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(server.adminUrl().resolve("/metrics"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
    assertThat(http.send(HttpRequest.newBuilder(server.adminUrl().resolve("/v1/accounts")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    // The admin port listens on loopback unless told otherwise, and can be turned off.
    assertThat(ServerConfig.defaults().admin()).isEqualTo(new ServerConfig.Admin("127.0.0.1", 8081));
    try (TestServer noAdmin = TestServer.start(Map.of("PARLEY_ADMIN_PORT", "-1"))) {
      assertThat(noAdmin.server().adminPort()).isEmpty();
      assertThat(noAdmin.api.send("GET", "/metrics", new byte[0], "text/plain", null).status()).isEqualTo(404);
    }
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_ADMIN_PORT", "70000")))
        .hasMessageContaining("admin.port");
  }

  /** A taken admin port stops the start with a message naming the setting, before clients are let in. */
  @Test
  void anAdminPortInUseIsReportedByName() throws Exception {
    int taken = server.server().adminPort().orElseThrow();
    assertThatThrownBy(() -> TestServer.start(Map.of("PARLEY_ADMIN_PORT", Integer.toString(taken))))
        .isInstanceOf(IOException.class).hasMessageContaining("admin.port");
  }

  @Test
  void unknownEndpointsWrongVerbsAndOversizeBodiesAreRefusedClearly() {
    Api.Response unknown = server.api.send("GET", "/v2/nothing", new byte[0], "application/json", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.text()).contains("no_such_endpoint");
    Api.Response wrongVerb = server.api.send("DELETE", "/v1/verification/session", new byte[0], "application/json", null);
    assertThat(wrongVerb.status()).isEqualTo(405);
    Api.Response huge = server.api.send("POST", "/v1/verification/session", new byte[2 * 1024 * 1024],
        "application/json", null);
    assertThat(huge.status()).isEqualTo(413);
  }
}
