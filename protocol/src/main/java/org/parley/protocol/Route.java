package org.parley.protocol;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every request the server and its clients exchange, by verb and path template. The server's router registers
 * these, clients build their requests from them and the bench drives them, so a path is spelled in one place.
 *
 * <p>Templates are literal segments and {@code {name}} placeholders. {@link Direction#TO_SERVER} routes reach the
 * server over HTTP or inside the WebSocket envelope (ADR 0001); {@link Direction#TO_CLIENT} routes are the requests
 * the server pushes down a device's WebSocket; {@link Direction#PROVISIONING} ones travel on the provisioning socket
 * of a device being linked.
 */
public enum Route {

  // registration
  CREATE_VERIFICATION_SESSION("POST", "/v1/verification/session"),
  GET_VERIFICATION_SESSION("GET", "/v1/verification/session/{id}"),
  SUBMIT_VERIFICATION_CODE("PUT", "/v1/verification/session/{id}/code"),
  REGISTER("POST", "/v1/registration"),
  // accounts and devices
  WHOAMI("GET", "/v1/accounts/me"),
  LOOK_UP_NUMBER("GET", "/v1/accounts/number/{number}"),
  SET_REGISTRATION_LOCK("PUT", "/v1/accounts/registration-lock"),
  REMOVE_REGISTRATION_LOCK("DELETE", "/v1/accounts/registration-lock"),
  LIST_DEVICES("GET", "/v1/devices/{accountId}"),
  // prekeys
  UPLOAD_KEYS("PUT", "/v1/keys"),
  COUNT_KEYS("GET", "/v1/keys/count"),
  GET_KEYS("GET", "/v1/keys/{accountId}/{deviceId}"),
  // messages
  SEND_MESSAGE("PUT", "/v1/messages/{accountId}"),
  POLL_MESSAGES("GET", "/v1/messages"),
  ACKNOWLEDGE_MESSAGE("DELETE", "/v1/messages/{guid}"),
  // one ciphertext for many devices (group messages, ADR 0140)
  SEND_MULTI_RECIPIENT("PUT", "/v1/multi-recipient-messages"),
  REGISTER_RECIPIENT_SET("PUT", "/v1/recipient-sets"),
  // presence
  GET_PRESENCE("GET", "/v1/presence/{accountId}"),
  SUBSCRIBE_PRESENCE("PUT", "/v1/presence/subscriptions/{accountId}"),
  // calls
  ICE_SERVERS("GET", "/v1/calls/ice-servers"),
  // linking
  CREATE_LINKING_CODE("POST", "/v1/devices/linking-code"),
  SEND_PROVISIONING_MESSAGE("PUT", "/v1/provisioning/{address}"),
  LINK_DEVICE("PUT", "/v1/devices/link"),
  UNLINK_DEVICE("DELETE", "/v1/devices/{deviceId}"),
  // attachments (ADR 0120): slots are managed like any request; the bytes of PUT, GET and HEAD travel over plain
  // HTTP only (over the WebSocket those routes answer 400 http_only)
  CREATE_ATTACHMENT("POST", "/v1/attachments"),
  GET_ATTACHMENT_UPLOAD("GET", "/v1/attachments/{id}/upload"),
  DELETE_ATTACHMENT("DELETE", "/v1/attachments/{id}"),
  UPLOAD_ATTACHMENT("PUT", "/v1/attachments/{id}"),
  DOWNLOAD_ATTACHMENT("GET", "/v1/attachments/{id}"),
  ATTACHMENT_LENGTH("HEAD", "/v1/attachments/{id}"),
  // the sockets (HTTP upgrades)
  WEBSOCKET("GET", "/v1/websocket", Direction.UPGRADE),
  PROVISIONING_WEBSOCKET("GET", "/v1/websocket/provisioning", Direction.UPGRADE),
  // pushed by the server down a device's WebSocket
  DELIVER_MESSAGE("PUT", "/api/v1/message", Direction.TO_CLIENT),
  QUEUE_EMPTY("PUT", "/api/v1/queue/empty", Direction.TO_CLIENT),
  PRESENCE_CHANGED("PUT", "/api/v1/presence", Direction.TO_CLIENT),
  // pushed by the server down a provisioning socket
  PROVISIONING_ADDRESS("PUT", "/v1/address", Direction.PROVISIONING),
  PROVISIONING_MESSAGE("PUT", "/v1/message", Direction.PROVISIONING);

  /** Who sends a route's requests, and over what. */
  public enum Direction {
    /** Client to server, over HTTP or inside the WebSocket envelope. */
    TO_SERVER,
    /** The HTTP request that opens a WebSocket. */
    UPGRADE,
    /** Server to a device, down its WebSocket. */
    TO_CLIENT,
    /** Server to a device being linked, down the provisioning socket. */
    PROVISIONING
  }

  private final String verb;
  private final String template;
  private final Direction direction;
  private final List<String> segments;
  private final int parameterCount;

  Route(String verb, String template) {
    this(verb, template, Direction.TO_SERVER);
  }

  Route(String verb, String template, Direction direction) {
    this.verb = verb;
    this.template = template;
    this.direction = direction;
    this.segments = List.of(template.substring(1).split("/", -1));
    this.parameterCount = (int) segments.stream().filter(Route::isParameter).count();
  }

  public String verb() {
    return verb;
  }

  /** The path with {@code {name}} placeholders, as the server's router matches it. */
  public String template() {
    return template;
  }

  public Direction direction() {
    return direction;
  }

  /**
   * The concrete path: each placeholder in turn replaced by one argument, percent-encoded as a single segment
   * ('+' in phone numbers stays a plus, '/' cannot split a segment).
   *
   * @throws IllegalArgumentException when the number of arguments is not the number of placeholders
   */
  public String path(Object... parameters) {
    if (parameters.length != parameterCount) {
      throw new IllegalArgumentException(name() + " " + template + " takes " + parameterCount + " parameter(s), not "
          + parameters.length);
    }
    if (parameterCount == 0) {
      return template;
    }
    StringBuilder path = new StringBuilder();
    int next = 0;
    for (String segment : segments) {
      path.append('/').append(isParameter(segment) ? encodeSegment(String.valueOf(parameters[next++])) : segment);
    }
    return path.toString();
  }

  /** The route pushed with {@code verb} on exactly {@code path} (pushed routes take no parameters). */
  public static Optional<Route> pushed(Direction direction, String verb, String path) {
    for (Route route : values()) {
      if (route.direction == direction && route.parameterCount == 0 && route.verb.equals(verb)
          && route.template.equals(path)) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }

  /** The routes with the given direction, in declaration order. */
  public static List<Route> of(Direction direction) {
    List<Route> routes = new ArrayList<>();
    Arrays.stream(values()).filter(r -> r.direction == direction).forEach(routes::add);
    return routes;
  }

  /** Escapes one path segment. URLEncoder writes form encoding, where '+' means space: a plus must stay a plus. */
  public static String encodeSegment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static boolean isParameter(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }
}
