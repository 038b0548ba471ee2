package org.parley.client.api;

import java.util.Optional;
import org.parley.client.api.calls.CallEntry;

/**
 * One message of a conversation.
 *
 * @param id local id
 * @param contactNumber the other party
 * @param direction incoming or outgoing
 * @param timestamp the sender's timestamp (ms): identifies the message across devices
 * @param receivedAt when we stored an incoming message (ms)
 * @param status for outgoing: pending, sent, delivered, read or failed; incoming: delivered, then read
 * @param statusAt when the status last changed (ms)
 * @param call for a call entry (a call placed or received, missed, declined...): the call; {@code text} then holds
 *     a short description. Empty for text messages.
 */
public record Message(long id, String contactNumber, Direction direction, String text, long timestamp,
    Optional<Long> receivedAt, MessageStatus status, long statusAt, Optional<CallEntry> call) {

  /** A text message. */
  public Message(long id, String contactNumber, Direction direction, String text, long timestamp,
      Optional<Long> receivedAt, MessageStatus status, long statusAt) {
    this(id, contactNumber, direction, text, timestamp, receivedAt, status, statusAt, Optional.empty());
  }

  /** Whether this is a call entry rather than a text message. */
  public boolean isCall() {
    return call.isPresent();
  }

  /** Which way a message went. */
  public enum Direction {
    INCOMING, OUTGOING
  }
}
