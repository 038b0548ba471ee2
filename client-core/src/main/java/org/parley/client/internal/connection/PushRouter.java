package org.parley.client.internal.connection;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.parley.client.internal.net.WebSocketTransport;
import org.parley.protocol.Route;
import org.parley.protocol.WebSocketRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the requests the server pushes to this device ({@link Route.Direction#TO_CLIENT}) to one handler each. A
 * request for no known route, or for a route nothing handles, is answered 404.
 */
public final class PushRouter {

  private static final Logger log = LoggerFactory.getLogger(PushRouter.class);

  private final Map<Route, PushHandler> handlers;

  private PushRouter(Map<Route, PushHandler> handlers) {
    this.handlers = Collections.unmodifiableMap(new EnumMap<>(handlers));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The routes that have a handler. */
  public Set<Route> routes() {
    return handlers.keySet();
  }

  /** The status to answer {@code request} with (0: no answer). */
  public int route(WebSocketRequest request) {
    return route(request, status -> { });
  }

  /**
   * The status to answer {@code request} with (0: no answer; {@link WebSocketTransport#ANSWERED_LATER}: the handler
   * answers through {@code reply}).
   */
  public int route(WebSocketRequest request, WebSocketTransport.Reply reply) {
    Optional<PushHandler> handler = Route.pushed(Route.Direction.TO_CLIENT, request.getVerb(), request.getPath())
        .map(handlers::get);
    if (handler.isEmpty()) {
      log.warn("answering 404 to a pushed {} {} that nothing handles", request.getVerb(), request.getPath());
      return 404;
    }
    return handler.get().handle(request, reply);
  }

  /** Collects one handler per pushed route; the composition root is the only caller. */
  public static final class Builder {

    private final Map<Route, PushHandler> handlers = new EnumMap<>(Route.class);

    private Builder() {}

    public Builder on(Route route, PushHandler handler) {
      Objects.requireNonNull(handler, "handler");
      if (route.direction() != Route.Direction.TO_CLIENT) {
        throw new IllegalArgumentException(route + " is not pushed to clients (" + route.direction() + ")");
      }
      if (handlers.putIfAbsent(route, handler) != null) {
        throw new IllegalArgumentException(route + " already has a handler");
      }
      return this;
    }

    public PushRouter build() {
      return new PushRouter(handlers);
    }
  }
}
