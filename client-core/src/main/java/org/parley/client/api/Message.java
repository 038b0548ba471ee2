package org.parley.client.api;

import java.util.Optional;

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
 */
public record Message(long id, String contactNumber, Direction direction, String text, long timestamp,
    Optional<Long> receivedAt, MessageStatus status, long statusAt) {

  /** Which way a message went. */
  public enum Direction {
    INCOMING, OUTGOING
  }
}
