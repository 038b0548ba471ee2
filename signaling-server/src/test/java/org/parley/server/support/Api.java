package org.parley.server.support;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.protocol.CreateVerificationSessionRequest;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.RegistrationResponse;
import org.parley.protocol.SubmitVerificationCodeRequest;
import org.parley.protocol.VerificationSession;

/** A small HTTP client for the REST side, speaking binary protobuf. */
public final class Api {

  private static final AtomicInteger REGISTRATION_IDS = new AtomicInteger(100);

  public final URI base;
  private final Path dataDir;
  private volatile HttpClient http = HttpClient.newHttpClient();

  public Api(URI base, Path dataDir) {
    this.base = base;
    this.dataDir = dataDir;
  }

  /** A registered device's credentials. */
  public record Device(String accountId, int deviceId, String password, String number, int registrationId) {
    public String login() {
      return accountId + "." + deviceId;
    }

    public String basicAuth() {
      return "Basic " + Base64.getEncoder()
          .encodeToString((login() + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
  }

  public record Response(int status, byte[] body, HttpResponse<byte[]> raw) {
    public <T extends Message> T as(T prototype) {
      try {
        @SuppressWarnings("unchecked")
        T parsed = (T) prototype.getParserForType().parseFrom(body);
        return parsed;
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("status " + status + ", body is not a " + prototype.getDescriptorForType().getName(), e);
      }
    }

    public ErrorResponse error() {
      return as(ErrorResponse.getDefaultInstance());
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * Forgets pooled connections. Called when the server stops: a request sent on a keep-alive connection to the
   * stopped server then hung until its timeout once in a loaded run instead of connecting to the restarted one.
   */
  public void dropConnections() {
    http = HttpClient.newHttpClient();
  }

  /** The client these calls use (and {@link #dropConnections} replaces), for callers that build their own requests. */
  public HttpClient httpClient() {
    return http;
  }

  public Response call(String verb, String path, Message body, Device as) {
    return send(verb, path, body == null ? new byte[0] : body.toByteArray(), "application/x-protobuf",
        as == null ? null : as.basicAuth());
  }

  public Response send(String verb, String path, byte[] body, String contentType, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .method(verb, HttpRequest.BodyPublishers.ofByteArray(body))
        .timeout(Duration.ofSeconds(60)) // a test that hangs fails instead
        .header("Content-Type", contentType);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public VerificationSession startSession(String number) {
    Response r = call("POST", "/v1/verification/session",
        CreateVerificationSessionRequest.newBuilder().setNumber(number).build(), null);
    if (r.status() != 200) {
      throw new AssertionError("session for " + number + ": " + r.status() + " " + r.error());
    }
    return r.as(VerificationSession.getDefaultInstance());
  }

  public Response submitCode(String sessionId, String code) {
    return call("PUT", "/v1/verification/session/" + sessionId + "/code",
        SubmitVerificationCodeRequest.newBuilder().setCode(code).build(), null);
  }

  public Response registerWithSession(String sessionId, String password, int registrationId) {
    return call("POST", "/v1/registration", RegistrationRequest.newBuilder()
        .setSessionId(sessionId).setPassword(password).setRegistrationId(registrationId).setDeviceName("test")
        .build(), null);
  }

  /** The whole flow: session, code from the dev SMS outbox, registration. */
  public Device register(String number) {
    try {
      VerificationSession session = startSession(number);
      Response verified = submitCode(session.getSessionId(), TestServer.lastCode(dataDir, number));
      if (verified.status() != 200) {
        throw new AssertionError("verify: " + verified.status() + " " + verified.error());
      }
      String password = "pw-" + UUID.randomUUID();
      int registrationId = REGISTRATION_IDS.incrementAndGet();
      Response registered = registerWithSession(session.getSessionId(), password, registrationId);
      if (registered.status() != 200) {
        throw new AssertionError("register: " + registered.status() + " " + registered.error());
      }
      RegistrationResponse r = registered.as(RegistrationResponse.getDefaultInstance());
      return new Device(r.getAccountId(), r.getDeviceId(), password, number, registrationId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
