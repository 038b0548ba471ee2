package org.parley.server.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production sender against a local HTTP stub standing in for the SMS gateway. */
class WebhookSmsSenderTest {

  private HttpServer gateway;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(202);

  @BeforeEach
  void startGateway() throws Exception {
    gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gateway.createContext("/sms", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      byte[] answer = "queued".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status.get(), answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    gateway.start();
  }

  @AfterEach
  void stopGateway() {
    gateway.stop(0);
  }

  private URI endpoint() {
    return URI.create("http://127.0.0.1:" + gateway.getAddress().getPort() + "/sms");
  }

  @Test
  void postsTheNumberAndCodeWithTheToken() throws Exception {
    new WebhookSmsSender(endpoint(), Optional.of("s3cret")).send("+15551234567", "123456");
    assertThat(bodies).singleElement().satisfies(body -> {
      assertThat(body).contains("\"to\":\"+15551234567\"").contains("\"code\":\"123456\"");
    });
    assertThat(authorizations).containsExactly("Bearer s3cret");
  }

  @Test
  void aGatewayErrorIsAFailureWithItsStatus() {
    status.set(503);
    assertThatThrownBy(() -> new WebhookSmsSender(endpoint(), Optional.empty()).send("+15551234567", "1"))
        .isInstanceOf(SmsSender.SmsException.class).hasMessageContaining("503");
  }

  @Test
  void anUnreachableGatewayIsAFailure() {
    URI nothing = URI.create("http://127.0.0.1:1/sms");
    assertThatThrownBy(() -> new WebhookSmsSender(nothing, Optional.empty()).send("+15551234567", "1"))
        .isInstanceOf(SmsSender.SmsException.class).hasMessageContaining("unreachable");
  }
}
