package org.parley.client.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.calls.CallEntry;
import org.parley.client.api.location.Location;
import org.parley.client.api.payments.PaymentRequestEntry;

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
 * @param attachments pictures, videos and files sent with the message, in the sender's order; {@code text} is then
 *     their caption (possibly empty)
 * @param location for a shared place: the place; {@code text} then describes it (its name and coordinates)
 * @param payment for a UPI payment request: the request and where it stands now; {@code text} then describes it
 */
public record Message(long id, String contactNumber, Direction direction, String text, long timestamp,
    Optional<Long> receivedAt, MessageStatus status, long statusAt, Optional<CallEntry> call,
    List<Attachment> attachments, Optional<Location> location, Optional<PaymentRequestEntry> payment) {

  public Message {
    attachments = List.copyOf(attachments);
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(payment, "payment");
  }

  /** A message without a location or payment request. */
  public Message(long id, String contactNumber, Direction direction, String text, long timestamp,
      Optional<Long> receivedAt, MessageStatus status, long statusAt, Optional<CallEntry> call,
      List<Attachment> attachments) {
    this(id, contactNumber, direction, text, timestamp, receivedAt, status, statusAt, call, attachments,
        Optional.empty(), Optional.empty());
  }

  /** A text message or call entry. */
  public Message(long id, String contactNumber, Direction direction, String text, long timestamp,
      Optional<Long> receivedAt, MessageStatus status, long statusAt, Optional<CallEntry> call) {
    this(id, contactNumber, direction, text, timestamp, receivedAt, status, statusAt, call, List.of());
  }

  /** A text message. */
  public Message(long id, String contactNumber, Direction direction, String text, long timestamp,
      Optional<Long> receivedAt, MessageStatus status, long statusAt) {
    this(id, contactNumber, direction, text, timestamp, receivedAt, status, statusAt, Optional.empty(), List.of());
  }

  /** Whether this is a call entry rather than a text message. */
  public boolean isCall() {
    return call.isPresent();
  }

  /** Whether pictures, videos or files came with this message. */
  public boolean hasAttachments() {
    return !attachments.isEmpty();
  }

  /** This message with its place or payment request (as the store has them). */
  public Message with(Optional<Location> location, Optional<PaymentRequestEntry> payment) {
    return new Message(id, contactNumber, direction, text, timestamp, receivedAt, status, statusAt, call, attachments,
        location, payment);
  }

  /** Which way a message went. */
  public enum Direction {
    INCOMING, OUTGOING
  }
}
