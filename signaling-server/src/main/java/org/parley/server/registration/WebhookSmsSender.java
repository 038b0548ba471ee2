package org.parley.server.registration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Production sender: POSTs {@code {"to": "+1555...", "code": "123456", "text": "..."}} as JSON to an SMS gateway's
 * webhook, with an optional bearer token. Any answer other than 2xx, or no answer in 10 s, is a failure.
 */
public final class WebhookSmsSender implements SmsSender {

  private final URI endpoint;
  private final Optional<String> bearerToken;
  private final HttpClient http;

  public WebhookSmsSender(URI endpoint, Optional<String> bearerToken) {
    this.endpoint = endpoint;
    this.bearerToken = bearerToken;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public void send(String number, String code) throws SmsException {
    String text = "Your Parley code: " + code + ". Do not share it.";
    String json = "{\"to\":\"" + number + "\",\"code\":\"" + code + "\",\"text\":\"" + text + "\"}";
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new SmsException("SMS gateway answered " + response.statusCode() + ": " + response.body(), null);
      }
    } catch (IOException e) {
      throw new SmsException("SMS gateway unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SmsException("interrupted while sending SMS", e);
    }
  }
}
