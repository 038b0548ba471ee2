package org.parley.client.internal.connection;

import java.util.concurrent.Executor;
import org.parley.client.internal.events.Events;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.net.WebSocketTransport;
import org.parley.protocol.WebSocketRequest;

/**
 * What the WebSocket tells the client: pushed requests go to the {@link PushRouter}; a new connection wakes the
 * outbox and starts {@link AfterConnect}; a refused one may mean our credentials were revoked.
 */
public final class ConnectionListener implements WebSocketTransport.Listener {

  private final PushRouter router;
  private final OutboxWorker outbox;
  private final BacklogTracker backlog;
  private final AfterConnect afterConnect;
  private final Revocation revocation;
  private final Events events;
  private final Executor background;

  /** {@code background}: where work runs that must not hold up the transport's reader thread. */
  public ConnectionListener(PushRouter router, OutboxWorker outbox, BacklogTracker backlog, AfterConnect afterConnect,
      Revocation revocation, Events events, Executor background) {
    this.backlog = backlog;
    this.router = router;
    this.outbox = outbox;
    this.afterConnect = afterConnect;
    this.revocation = revocation;
    this.events = events;
    this.background = background;
  }

  @Override
  public int request(WebSocketRequest request) {
    return router.route(request);
  }

  @Override
  public int request(WebSocketRequest request, WebSocketTransport.Reply reply) {
    return router.route(request, reply);
  }

  @Override
  public void connected() {
    backlog.connected();
    events.fire(l -> l.connection(true, "connected"));
    outbox.wake(true);
    background.execute(afterConnect);
  }

  @Override
  public void disconnected(int code, String reason, boolean permanent, boolean wasOpen) {
    if (code == WebSocketTransport.CLOSE_CREDENTIALS_REVOKED || !wasOpen && reason.contains("401")) {
      revocation.authenticationFailed(code + " " + reason);
      return;
    }
    events.fire(l -> l.connection(false, code + " " + reason));
    if (!permanent && !wasOpen) {
      // A refused upgrade says little: a 401 might hide behind it.
      background.execute(revocation::checkCredentials);
    }
  }
}
