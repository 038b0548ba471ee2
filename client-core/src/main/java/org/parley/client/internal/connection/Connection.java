package org.parley.client.internal.connection;

import org.parley.client.api.NotRegisteredException;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.net.WebSocketTransport;

/**
 * The part of the client that runs only once {@link #connect} is called: the WebSocket (which reconnects by itself)
 * and the outbox worker start together, once, and stop together. Both are built when the client opens; before
 * {@code connect} nothing runs, and messages written meanwhile wait in the outbox.
 */
public final class Connection {

  private final AccountService accounts;
  private final WebSocketTransport transport;
  private final ConnectionListener listener;
  private final OutboxWorker outbox;
  private boolean started;
  private boolean closed;

  public Connection(AccountService accounts, WebSocketTransport transport, ConnectionListener listener,
      OutboxWorker outbox) {
    this.accounts = accounts;
    this.transport = transport;
    this.listener = listener;
    this.outbox = outbox;
  }

  /** Starts sending the outbox and connecting; idempotent. Only a registered device connects. */
  public synchronized void connect() throws NotRegisteredException {
    accounts.registered();
    if (started || closed) {
      return;
    }
    started = true;
    outbox.start();
    transport.start(listener);
  }

  /** Stops both; the outbox worker finishes the row it is sending. */
  public synchronized void close() {
    closed = true;
    transport.close();
    outbox.close();
  }
}
