package org.parley.client.internal.connection;

import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.parley.client.api.DeviceRevoked;
import org.parley.client.api.NetworkException;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.events.Events;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.net.WebSocketTransport;
import org.parley.client.internal.store.AccountTable;
import org.parley.protocol.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server no longer takes this device's credentials (ADR 0302): it closed the WebSocket with 4401, refused the
 * upgrade with 401, or answered a request with 401. Reported once, as {@code deviceRevoked}; the transport stops for
 * good.
 */
public final class Revocation {

  private static final Logger log = LoggerFactory.getLogger(Revocation.class);

  private final AccountService accounts;
  private final RestClient rest;
  private final WebSocketTransport transport;
  private final Events events;
  private final Executor background;
  private final AtomicReference<DeviceRevoked> revoked = new AtomicReference<>();
  private volatile boolean clientClosed;

  /** {@code background}: where the transport is closed (never on its own thread). */
  public Revocation(AccountService accounts, RestClient rest, WebSocketTransport transport, Events events,
      Executor background) {
    this.accounts = accounts;
    this.rest = rest;
    this.transport = transport;
    this.events = events;
    this.background = background;
  }

  public Optional<DeviceRevoked> revoked() {
    return Optional.ofNullable(revoked.get());
  }

  /** Authentication failed for good: reported as a lost connection, then as a revocation. */
  public void authenticationFailed(String serverMessage) {
    events.fire(l -> l.connection(false, "authentication failed: " + serverMessage));
    revoke(serverMessage);
  }

  /**
   * The upgrade failed without saying why: asks the server whether our credentials still work, and treats a 401 as
   * a revocation. Network trouble is not one.
   */
  public void checkCredentials() {
    try {
      rest.raw(Route.WHOAMI, null, true);
    } catch (ApiFailure failure) {
      if (failure.status() == 401) {
        log.warn("the server refuses our credentials; not reconnecting");
        background.execute(transport::close);
        authenticationFailed(failure.getMessage());
      }
    } catch (NetworkException e) {
      log.debug("credentials check: {}", e.getMessage());
    }
  }

  /**
   * Stops the transport and tells the front ends, once. The server closes with "The account was registered again"
   * when the number was registered anew; otherwise a linked device has been unlinked, and a primary (which cannot
   * be unlinked) has been replaced.
   */
  private void revoke(String serverMessage) {
    if (clientClosed) {
      return;
    }
    Optional<AccountTable.Row> row = accounts.current();
    boolean primaryOrUnknown = row.map(r -> r.deviceId() == null || r.deviceId() == 1).orElse(true);
    DeviceRevoked.Reason reason = serverMessage.contains("registered again") || primaryOrUnknown
        ? DeviceRevoked.Reason.REREGISTERED : DeviceRevoked.Reason.UNLINKED;
    DeviceRevoked event = new DeviceRevoked(reason, serverMessage);
    if (!revoked.compareAndSet(null, event)) {
      return;
    }
    log.warn("this device's credentials were revoked ({}): {}", reason, serverMessage);
    background.execute(transport::close);
    events.fire(l -> l.deviceRevoked(event));
  }

  /** The client is closing: failures from here on come from closing, and are no revocation. */
  public void clientClosing() {
    clientClosed = true;
  }
}
