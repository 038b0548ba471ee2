package org.parley.client.internal.net;

import com.google.protobuf.InvalidProtocolBufferException;
import org.parley.client.api.AuthenticationException;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyException;
import org.parley.protocol.ErrorResponse;

/** The server answered with a non-2xx status; {@code body} is the raw answer (an ErrorResponse or a 409 body). */
public final class ApiFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient byte[] body;

  public ApiFailure(int status, byte[] body) {
    super(describe(status, body));
    this.status = status;
    this.body = body;
    this.code = errorResponse(body).getCode();
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public byte[] body() {
    return body.clone();
  }

  /**
   * Worth trying again later: rate limits, full queues, server errors, and 408 (the request did not arrive in time:
   * a slow network or a loaded machine, not a wrong request).
   */
  public boolean transientFailure() {
    return status == 408 || status == 429 || status == 507 || status >= 500;
  }

  /** The API exception a caller should see. */
  public ParleyException toParley(String what) {
    String message = what + ": " + getMessage();
    if (status == 401 || status == 4401) {
      return new AuthenticationException(message, this);
    }
    if (status == 404) {
      return new NotFoundException(message, this);
    }
    if (transientFailure()) {
      return new NetworkException(message, this);
    }
    return new InvalidInputException(message, this);
  }

  private static ErrorResponse errorResponse(byte[] body) {
    try {
      return ErrorResponse.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      return ErrorResponse.getDefaultInstance();
    }
  }

  private static String describe(int status, byte[] body) {
    ErrorResponse error = errorResponse(body);
    if (error.getMessage().isEmpty()) {
      return "server answered " + status;
    }
    return error.getMessage() + " (" + status + " " + error.getCode() + ")";
  }
}
