package org.parley.client.internal.connection;

import org.parley.client.internal.net.WebSocketTransport;
import org.parley.protocol.WebSocketRequest;

/** Handles one kind of request the server pushes down the WebSocket, registered with the {@link PushRouter}. */
@FunctionalInterface
public interface PushHandler {

  /**
   * Handles {@code request} on the transport's reader thread (requests arrive in order); returns the status to
   * answer with, or 0 to send no answer (ephemeral deliveries). A thrown exception is answered with 500.
   */
  int handle(WebSocketRequest request);

  /**
   * As {@link #handle(WebSocketRequest)}; a handler that answers later (after the inbox's batch commits) keeps
   * {@code reply} and returns {@link WebSocketTransport#ANSWERED_LATER}.
   */
  default int handle(WebSocketRequest request, WebSocketTransport.Reply reply) {
    return handle(request);
  }
}
