package org.parley.server.presence;

import java.util.concurrent.CompletableFuture;
import org.parley.protocol.Route;
import org.parley.server.accounts.AccountsService;
import org.parley.server.api.ApiException;
import org.parley.server.api.ApiResponse;
import org.parley.server.api.Router;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.connections.ClientConnection;
import org.parley.server.storage.ContactPairs;

/** {@code GET /v1/presence/{accountId}} and, over the WebSocket, {@code PUT /v1/presence/subscriptions/{accountId}}. */
public final class PresenceController {

  private final PresenceService presence;
  private final AccountsService accounts;
  private final ContactPairs contacts;

  public PresenceController(PresenceService presence, AccountsService accounts, ContactPairs contacts) {
    this.presence = presence;
    this.accounts = accounts;
    this.contacts = contacts;
  }

  public void register(Router router) {
    router.add(Route.GET_PRESENCE, (request, params) -> {
      String accountId = requireShared(request.requireDevice(), params.get(0));
      return CompletableFuture.completedFuture(ApiResponse.ok(presence.status(accountId)));
    });
    router.add(Route.SUBSCRIBE_PRESENCE, (request, params) -> {
      String accountId = requireShared(request.requireDevice(), params.get(0));
      ClientConnection connection = request.connection().orElseThrow(() ->
          new ApiException(400, "websocket_only", "Presence subscriptions live on a WebSocket connection"));
      presence.subscribe(connection, accountId);
      return CompletableFuture.completedFuture(ApiResponse.noContent());
    });
  }

  /**
   * The account whose presence {@code requester} may see: its own, or one that has sent it a message (ADR 0170).
   * Others get 403.
   */
  private String requireShared(AuthenticatedDevice requester, String accountId) throws ApiException {
    if (requester.accountId().equals(accountId)) {
      return accountId;
    }
    if (accounts.find(accountId).isEmpty()) {
      throw ApiException.notFound("unknown_account", "No account " + accountId);
    }
    if (!contacts.hasSent(accountId, requester.accountId())) {
      throw new ApiException(403, "presence_not_shared",
          "An account's presence is visible only to those it has sent a message to");
    }
    return accountId;
  }
}
