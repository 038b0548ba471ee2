package org.parley.client.api;

/**
 * Events for front ends. Called on the client's own threads after the change is stored; implementations must
 * return quickly and must not throw.
 */
public interface ParleyListener {

  default void messageReceived(Message message) {}

  /** An outgoing message moved (sent, delivered, read, failed) or an incoming one was read. */
  default void statusChanged(Message message) {}

  default void typing(Typing typing) {}

  default void presence(Presence presence) {}

  default void identityChanged(IdentityChange change) {}

  /** Connected ({@code true}) or lost the connection ({@code false}); {@code reason} for people. */
  default void connection(boolean connected, String reason) {}
}
