package org.parley.server.connections;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.parley.protocol.Route;
import org.parley.server.storage.DeviceAddress;

/** An authenticated device's live connection, as the services see it: they can send it requests and close it. */
public interface ClientConnection {

  /** WebSocket close codes the server uses. */
  int CLOSE_GOING_AWAY = 1001;
  int CLOSE_REPLACED = 4001;
  int CLOSE_CREDENTIALS_REVOKED = 4401;

  DeviceAddress device();

  /**
   * The thread that writes to this connection, taking tasks in order: work done there writes without a hand-over
   * per frame (a group fan-out pushes to hundreds of connections at once, ADR 0140).
   */
  Executor executor();

  /**
   * Sends a request to the client. The future completes with the status of the client's answer, or exceptionally
   * when the connection closes before it answers.
   *
   * @throws IllegalArgumentException for a route that is not pushed to a device ({@code TO_CLIENT})
   */
  CompletableFuture<Integer> request(Route route, byte[] body);

  /**
   * Sends a request whose answer nobody waits for (typing, call signaling, presence: worth nothing late), and only
   * if the connection is keeping up: a client that does not read what it is sent gets these dropped, not buffered.
   * Returns whether it was sent.
   *
   * @throws IllegalArgumentException for a route that is not pushed to a device ({@code TO_CLIENT})
   */
  boolean pushIfReady(Route route, byte[] body);

  /** Requests the client answers are awaiting; used to stop pushing to a client that does not keep up. */
  int pendingRequests();

  void close(int code, String reason);

  /**
   * Closes with {@code code} once the requests the client already sent are answered, reading no new ones and pushing
   * nothing more meanwhile (the server drains, ADR 0152). By default a plain {@link #close}.
   */
  default void drain(int code, String reason) {
    close(code, reason);
  }
}
