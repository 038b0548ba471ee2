package org.parley.server.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.parley.protocol.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps each {@link Route} the clients send (direction {@code TO_SERVER}) to its handler. Handlers run on the worker
 * executor so the network threads never wait for the database. Registration happens once, at startup, on one thread.
 */
public final class Router {

  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private record Entry(String verb, List<String> segments, Handler handler, boolean inline) {}

  private final List<Entry> entries = new ArrayList<>();
  private final Set<Route> registered = EnumSet.noneOf(Route.class);
  private final Executor workers;

  public Router(Executor workers) {
    this.workers = workers;
  }

  /**
   * @throws IllegalArgumentException for a route the server does not answer (pushed or upgrade routes)
   * @throws IllegalStateException when the route already has a handler: the second would never run
   */
  public Router add(Route route, Handler handler) {
    return register(route, handler, false);
  }

  /**
   * A route whose handler never blocks (it only touches memory and hands slow work to futures): it runs on the
   * calling thread, saving a thread hand-off on the hottest paths.
   */
  public Router addInline(Route route, Handler handler) {
    return register(route, handler, true);
  }

  /** The routes that have a handler, read-only; lets tests hold the server to the {@link Route} enum and the docs. */
  public Set<Route> routes() {
    return Collections.unmodifiableSet(registered);
  }

  private Router register(Route route, Handler handler, boolean inline) {
    if (route.direction() != Route.Direction.TO_SERVER) {
      throw new IllegalArgumentException(route + " (" + route.verb() + " " + route.template() + ") is "
          + route.direction() + ", not a request the router answers");
    }
    if (!registered.add(route)) {
      throw new IllegalStateException(route + " (" + route.verb() + " " + route.template() + ") is registered twice");
    }
    entries.add(new Entry(route.verb(), ApiRequest.splitPath(route.template()), handler, inline));
    return this;
  }

  /** Always completes normally: errors become error responses. */
  public CompletableFuture<ApiResponse> dispatch(ApiRequest request) {
    List<String> segments = ApiRequest.splitPath(request.path());
    boolean pathKnown = false;
    for (Entry entry : entries) {
      List<String> params;
      try {
        params = match(entry.segments(), segments);
      } catch (IllegalArgumentException badEscape) {
        return CompletableFuture.completedFuture(ApiException.badRequest("malformed_request",
            "The request path has an invalid percent-escape (a '%' must be followed by two hex digits)")
            .toResponse());
      }
      if (params == null) {
        continue;
      }
      pathKnown = true;
      if (entry.verb().equals(request.verb())) {
        CompletableFuture<ApiResponse> response = entry.inline()
            ? invoke(entry.handler(), request, params)
            : CompletableFuture.supplyAsync(() -> invoke(entry.handler(), request, params), workers)
                .thenCompose(f -> f);
        return response.exceptionally(Router::toErrorResponse);
      }
    }
    ApiException error = pathKnown
        ? new ApiException(405, "method_not_allowed", request.verb() + " is not allowed on " + request.path())
        : ApiException.notFound("no_such_endpoint", "No endpoint " + request.verb() + " " + request.path());
    return CompletableFuture.completedFuture(error.toResponse());
  }

  private static CompletableFuture<ApiResponse> invoke(Handler handler, ApiRequest request, List<String> params) {
    try {
      return handler.handle(request, params);
    } catch (ApiException e) {
      return CompletableFuture.completedFuture(e.toResponse());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static ApiResponse toErrorResponse(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof ApiException api) {
      return api.toResponse();
    }
    if (databaseUnreachable(cause)) {
      // A restarting or unreachable database (one of a cluster's shared parts): nothing was confirmed, try again.
      log.warn("request failed: the database cannot be reached ({})", cause.getMessage());
      return ApiException.unavailable("storage_unavailable", "The database cannot be reached; try again shortly", 1)
          .toResponse();
    }
    log.error("request failed", cause);
    return new ApiException(500, "internal_error", "The server could not complete the request")
        .toResponse();
  }

  /**
   * Whether {@code error} comes from not reaching the database: no connection within the pool's timeout, a broken
   * connection (SQLSTATE class 08) or a server shutting down or starting (57P01–57P03).
   */
  static boolean databaseUnreachable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> match(List<String> pattern, List<String> path) {
    if (pattern.size() != path.size()) {
      return null;
    }
    List<String> params = new ArrayList<>();
    for (int i = 0; i < pattern.size(); i++) {
      String p = pattern.get(i);
      if (p.startsWith("{") && p.endsWith("}")) {
        if (path.get(i).isEmpty()) {
          return null;
        }
        // Path segments are percent-encoded; unlike in query strings, '+' is a plus (phone numbers).
        params.add(URLDecoder.decode(path.get(i).replace("+", "%2B"), StandardCharsets.UTF_8));
      } else if (!p.equals(path.get(i))) {
        return null;
      }
    }
    return params;
  }
}
