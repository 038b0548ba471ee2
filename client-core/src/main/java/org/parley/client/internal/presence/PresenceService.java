package org.parley.client.internal.presence;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.ParleyException;
import org.parley.client.api.Presence;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.messaging.ContactDirectory;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.net.WebSocketTransport;
import org.parley.protocol.PresenceEvent;
import org.parley.protocol.Route;

/**
 * A contact's presence now, and (while connected) a subscription to its changes, which the server pushes as
 * {@link Route#PRESENCE_CHANGED} ({@link PresenceChangedHandler}).
 */
public final class PresenceService {

  private final AccountService accounts;
  private final ContactDirectory directory;
  private final RestClient rest;
  private final WebSocketTransport transport;

  public PresenceService(AccountService accounts, ContactDirectory directory, RestClient rest,
      WebSocketTransport transport) {
    this.accounts = accounts;
    this.directory = directory;
    this.rest = rest;
    this.transport = transport;
  }

  private static final String NOT_SHARED = "presence_not_shared";

  public Presence presence(String number) throws ParleyException {
    accounts.registered();
    String accountId = directory.accountOf(number);
    try {
      PresenceEvent now = rest.call(Route.GET_PRESENCE, null, PresenceEvent.getDefaultInstance(), true, accountId);
      if (transport.isConnected()) {
        subscribe(number, accountId);
      }
      return new Presence(number, now.getOnline(), now.getLastSeen());
    } catch (ApiFailure failure) {
      if (failure.status() == 403 && NOT_SHARED.equals(failure.code())) {
        // Visible only once they have written to us (server ADR 0170): nothing known yet, not an error.
        return new Presence(number, false, 0);
      }
      throw failure.toParley("Presence of " + number);
    }
  }

  /** Subscriptions belong to the WebSocket connection, so they are made over it. */
  private void subscribe(String number, String accountId) throws NetworkException {
    try {
      int status = transport.request(Route.SUBSCRIBE_PRESENCE, null, accountId).get(10, TimeUnit.SECONDS)
          .getStatus();
      if (status / 100 != 2) {
        throw new NetworkException("Subscribing to the presence of " + number + ": the server answered " + status);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new NetworkException("Subscribing to the presence of " + number + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetworkException("Interrupted while subscribing to presence", e);
    }
  }
}
