package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SendMessageRequest;
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
      String metrics = server.api.send("GET", "/metrics", new byte[0], "text/plain", null).text();
      assertThat(metrics)
          .contains("parley_messages_in_total 1.0")
          .contains("parley_connections 1.0")
          .contains("parley_queue_depth 1.0")
          .contains("jvm_memory_used_bytes");
      ws.answer(ws.nextDelivery(Duration.ofSeconds(10)), 200);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
          server.api.send("GET", "/metrics", new byte[0], "text/plain", null).text()
              .contains("parley_messages_out_total 1.0"));
      assertThat(server.api.send("GET", "/metrics", new byte[0], "text/plain", null).text())
          .contains("parley_delivery_latency_seconds_count 1");
    }
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
