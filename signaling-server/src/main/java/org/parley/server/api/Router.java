package org.parley.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps verb and path to a handler. Patterns are literal segments and {@code {name}} placeholders. Handlers run on
 * the worker executor so the network threads never wait for the database.
 */
public final class Router {

  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private record Route(String verb, List<String> segments, Handler handler, boolean inline) {}

  private final List<Route> routes = new ArrayList<>();
  private final Executor workers;

  public Router(Executor workers) {
    this.workers = workers;
  }

  public Router add(org.parley.protocol.Route route, Handler handler) {
    return add(route.verb(), route.template(), handler);
  }

  public Router add(String verb, String pattern, Handler handler) {
    routes.add(new Route(verb, ApiRequest.splitPath(pattern), handler, false));
    return this;
  }

  /**
   * A route whose handler never blocks (it only touches memory and hands slow work to futures): it runs on the
   * calling thread, saving a thread hand-off on the hottest paths.
   */
  public Router addInline(String verb, String pattern, Handler handler) {
    routes.add(new Route(verb, ApiRequest.splitPath(pattern), handler, true));
    return this;
  }

  /** Always completes normally: errors become error responses. */
  public CompletableFuture<ApiResponse> dispatch(ApiRequest request) {
    List<String> segments = ApiRequest.splitPath(request.path());
    boolean pathKnown = false;
    for (Route route : routes) {
      List<String> params = match(route.segments(), segments);
      if (params == null) {
        continue;
      }
      pathKnown = true;
      if (route.verb().equals(request.verb())) {
        CompletableFuture<ApiResponse> response = route.inline()
            ? invoke(route.handler(), request, params)
            : CompletableFuture.supplyAsync(() -> invoke(route.handler(), request, params), workers)
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
    log.error("request failed", cause);
    return new ApiException(500, "internal_error", "The server could not complete the request")
        .toResponse();
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
        params.add(java.net.URLDecoder.decode(path.get(i).replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8));
      } else if (!p.equals(path.get(i))) {
        return null;
      }
    }
    return params;
  }
}
