package org.parley.client.internal.net;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.parley.client.api.NetworkException;

/** The REST side of the server: binary protobuf over HTTP(S), Basic auth when credentials are known. */
public final class RestClient {

  private final URI base;
  private final HttpClient http;
  private final Supplier<Credentials> credentials;

  public RestClient(URI base, SSLContext tls, Supplier<Credentials> credentials) {
    this.base = base;
    this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    this.credentials = credentials;
  }

  public URI base() {
    return base;
  }

  /** The TLS context this client trusts, for other connections to the same server (the provisioning socket). */
  public SSLContext tls() {
    return http.sslContext();
  }

  /** Escapes one path segment (numbers start with '+'). */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%2B");
  }

  /** Calls the server; returns the parsed answer, or throws for non-2xx answers and network failures. */
  public <T extends Message> T call(String verb, String path, Message body, T answerType, boolean authenticated)
      throws ApiFailure, NetworkException {
    byte[] answer = raw(verb, path, body, authenticated);
    if (answerType == null) {
      return null;
    }
    try {
      @SuppressWarnings("unchecked")
      T parsed = (T) answerType.getParserForType().parseFrom(answer);
      return parsed;
    } catch (InvalidProtocolBufferException e) {
      throw new NetworkException(verb + " " + path + ": the server's answer is not a "
          + answerType.getDescriptorForType().getName(), e);
    }
  }

  public byte[] raw(String verb, String path, Message body, boolean authenticated) throws ApiFailure,
      NetworkException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-protobuf")
        .header("Accept", "application/x-protobuf")
        .method(verb, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    if (authenticated) {
      request.header("Authorization", credentials.get().basicAuthorization());
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new NetworkException("Cannot reach the server at " + base + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetworkException("Interrupted while talking to " + base, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new ApiFailure(response.statusCode(), response.body());
    }
    return response.body();
  }
}
