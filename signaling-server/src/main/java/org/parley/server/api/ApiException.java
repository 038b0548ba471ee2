package org.parley.server.api;

import com.google.protobuf.Message;
import java.util.Map;
import org.parley.protocol.ErrorResponse;

/** A request the server refuses, with the status and the body the client gets. */
public final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Message body;
  private final long retryAfterSeconds;

  public ApiException(int status, String code, String message) {
    this(status, code, message, null, 0);
  }

  private ApiException(int status, String code, String message, Message body, long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** An error whose body is a specific message (e.g. {@code DeviceMismatch} for 409). */
  public static ApiException withBody(int status, String code, String message, Message body) {
    return new ApiException(status, code, message, body, 0);
  }

  public static ApiException rateLimited(String what, long retryAfterSeconds) {
    return new ApiException(429, "rate_limited", "Too many " + what + "; try again in " + retryAfterSeconds + " s",
        null, retryAfterSeconds);
  }

  /** 503: the server is at one of its limits; the client may retry after {@code retryAfterSeconds}. */
  public static ApiException unavailable(String code, String message, long retryAfterSeconds) {
    return new ApiException(503, code, message, null, retryAfterSeconds);
  }

  public static ApiException unauthorized() {
    return new ApiException(401, "unauthorized", "Missing or wrong credentials");
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  public static ApiException notFound(String code, String message) {
    return new ApiException(404, code, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public ApiResponse toResponse() {
    Message payload = body != null ? body
        : ErrorResponse.newBuilder()
            .setStatus(status)
            .setCode(code)
            .setMessage(getMessage())
            .setRetryAfter(retryAfterSeconds)
            .build();
    ApiResponse response = ApiResponse.status(status, payload);
    if (retryAfterSeconds > 0) {
      response = response.withHeaders(Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }
    return response;
  }
}
