package org.parley.client.internal.messaging;

import org.parley.client.internal.events.Events;

/** Tells the listeners about a stored message by its local id, as the API's {@code Message}. */
public final class MessageEvents {

  private final Conversations conversations;
  private final Events events;

  public MessageEvents(Conversations conversations, Events events) {
    this.conversations = conversations;
    this.events = events;
  }

  /** A new incoming message (or an incoming call entry). */
  public void received(long messageId) {
    conversations.message(messageId).ifPresent(m -> events.fire(l -> l.messageReceived(m)));
  }

  /** A message's status moved (our outgoing ones, or incoming ones read on another of our devices). */
  public void statusChanged(long messageId) {
    conversations.message(messageId).ifPresent(m -> events.fire(l -> l.statusChanged(m)));
  }
}
