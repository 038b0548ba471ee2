package org.parley.server.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Serves one route. Handlers may finish later (e.g. after a durable write) by completing the future. */
@FunctionalInterface
public interface Handler {
  CompletableFuture<ApiResponse> handle(ApiRequest request, List<String> pathParams) throws ApiException;
}
