package org.parley.server.api;

import com.google.protobuf.Message;
import java.util.Map;

/** An answer: a status, extra headers, and an optional protobuf body the transport encodes. */
public record ApiResponse(int status, Map<String, String> headers, Message body, byte[] rawBody, String contentType) {

  public static ApiResponse ok(Message body) {
    return new ApiResponse(200, Map.of(), body, null, null);
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, Map.of(), null, null, null);
  }

  public static ApiResponse status(int status, Message body) {
    return new ApiResponse(status, Map.of(), body, null, null);
  }

  public static ApiResponse raw(int status, String contentType, byte[] body) {
    return new ApiResponse(status, Map.of(), null, body, contentType);
  }

  public ApiResponse withHeaders(Map<String, String> extra) {
    return new ApiResponse(status, extra, body, rawBody, contentType);
  }
}
