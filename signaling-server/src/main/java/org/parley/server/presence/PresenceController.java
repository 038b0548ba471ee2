package org.parley.server.presence;

import java.util.concurrent.CompletableFuture;
import org.parley.protocol.Route;
import org.parley.server.accounts.AccountsService;
import org.parley.server.api.ApiException;
import org.parley.server.api.ApiResponse;
import org.parley.server.api.Router;
import org.parley.server.connections.ClientConnection;

/** {@code GET /v1/presence/{accountId}} and, over the WebSocket, {@code PUT /v1/presence/subscriptions/{accountId}}. */
public final class PresenceController {

  private final PresenceService presence;
  private final AccountsService accounts;

  public PresenceController(PresenceService presence, AccountsService accounts) {
    this.presence = presence;
    this.accounts = accounts;
  }

  public void register(Router router) {
    router.add(Route.GET_PRESENCE, (request, params) -> {
      request.requireDevice();
      String accountId = requireAccount(params.get(0));
      return CompletableFuture.completedFuture(ApiResponse.ok(presence.status(accountId)));
    });
    router.add(Route.SUBSCRIBE_PRESENCE, (request, params) -> {
      request.requireDevice();
      String accountId = requireAccount(params.get(0));
      ClientConnection connection = request.connection().orElseThrow(() ->
          new ApiException(400, "websocket_only", "Presence subscriptions live on a WebSocket connection"));
      presence.subscribe(connection, accountId);
      return CompletableFuture.completedFuture(ApiResponse.noContent());
    });
  }

  private String requireAccount(String accountId) throws ApiException {
    if (accounts.find(accountId).isEmpty()) {
      throw ApiException.notFound("unknown_account", "No account " + accountId);
    }
    return accountId;
  }
}
