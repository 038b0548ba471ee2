package org.parley.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.connections.ClientConnection;

/**
 * A request as the handlers see it, whichever transport carried it: HTTP or a {@code WebSocketRequest}.
 *
 * @param headers header names in lower case
 * @param remoteAddress the client's IP address, for per-IP rate limits
 * @param connection the WebSocket connection the request came on, empty over HTTP
 */
public record ApiRequest(
    String verb,
    String path,
    Map<String, String> query,
    Map<String, String> headers,
    byte[] body,
    String remoteAddress,
    Optional<AuthenticatedDevice> device,
    Optional<ClientConnection> connection,
    BodyCodec.Format format) {

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The caller, or 401 when the request carried no valid credentials. */
  public AuthenticatedDevice requireDevice() throws ApiException {
    return device.orElseThrow(ApiException::unauthorized);
  }

  /** "/v1/keys/x" → [v1, keys, x]; empty segments are kept. No regex: this runs for every request. */
  public static List<String> splitPath(String path) {
    List<String> segments = new ArrayList<>(6);
    int start = path.startsWith("/") ? 1 : 0;
    for (int slash = path.indexOf('/', start); slash >= 0; slash = path.indexOf('/', start)) {
      segments.add(path.substring(start, slash));
      start = slash + 1;
    }
    segments.add(path.substring(start));
    return segments;
  }
}
