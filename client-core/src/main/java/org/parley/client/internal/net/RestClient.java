package org.parley.client.internal.net;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.parley.client.api.NetworkException;
import org.parley.protocol.Route;

/**
 * The REST side of the server: binary protobuf over HTTP(S), Basic auth when credentials are known. Requests are
 * named by {@link Route} and its path parameters. The HTTP client (and with it the TLS context) is made on the first
 * request: a client that only reads its local history never pays for it.
 */
public final class RestClient {

  private final URI base;
  private final Supplier<SSLContext> tls;
  private final Supplier<Credentials> credentials;
  private HttpClient http;

  public RestClient(URI base, Supplier<SSLContext> tls, Supplier<Credentials> credentials) {
    this.base = base;
    this.tls = tls;
    this.credentials = credentials;
  }

  public URI base() {
    return base;
  }

  /** The TLS context this client trusts, for other connections to the same server (the provisioning socket). */
  public SSLContext tls() {
    return tls.get();
  }

  private synchronized HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().sslContext(tls.get()).connectTimeout(Duration.ofSeconds(10)).build();
    }
    return http;
  }

  /**
   * Calls {@code route} with its {@code pathParameters}; returns the parsed answer (null when {@code answerType} is),
   * or throws for non-2xx answers and network failures.
   */
  public <T extends Message> T call(Route route, Message body, T answerType, boolean authenticated,
      Object... pathParameters) throws ApiFailure, NetworkException {
    String path = route.path(pathParameters);
    byte[] answer = send(route.verb(), path, body, authenticated);
    if (answerType == null) {
      return null;
    }
    try {
      @SuppressWarnings("unchecked")
      T parsed = (T) answerType.getParserForType().parseFrom(answer);
      return parsed;
    } catch (InvalidProtocolBufferException e) {
      throw new NetworkException(route.verb() + " " + path + ": the server's answer is not a "
          + answerType.getDescriptorForType().getName(), e);
    }
  }

  /** Calls {@code route} and returns the answer's bytes as they came. */
  public byte[] raw(Route route, Message body, boolean authenticated, Object... pathParameters) throws ApiFailure,
      NetworkException {
    return send(route.verb(), route.path(pathParameters), body, authenticated);
  }

  private byte[] send(String verb, String path, Message body, boolean authenticated) throws ApiFailure,
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
      response = http().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
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
