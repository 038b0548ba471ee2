package org.parley.client.api;

import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentProgress;
import org.parley.client.api.payments.PaymentRequestEntry;

/**
 * Events for front ends. Called on the client's own threads after the change is stored; implementations must
 * return quickly and must not throw.
 */
public interface ParleyListener {

  default void messageReceived(Message message) {}

  /**
   * An outgoing message moved (sent, delivered, read, failed), or an incoming one was read on another of our
   * devices. {@link ParleyClient#markRead} does not call this per message; it reports {@link #conversationRead}.
   */
  default void statusChanged(Message message) {}

  /** {@link ParleyClient#markRead} marked {@code count} (at least one) incoming messages from {@code number} read. */
  default void conversationRead(String number, int count) {}

  /** An upload or download moved on (a few times a second at most, and once when it ends). */
  default void attachmentProgress(AttachmentProgress progress) {}

  /** An attachment changed state (uploaded, downloaded, failed, cancelled, expired...). */
  default void attachmentChanged(Attachment attachment) {}

  /** A message was deleted on this device ({@link ParleyClient#deleteMessage}); its attachments' files are gone. */
  default void messageDeleted(String number, long messageId) {}

  /** A payment request changed state (paid, declined, cancelled), here, on the other side or on another device. */
  default void paymentChanged(PaymentRequestEntry payment) {}

  default void typing(Typing typing) {}

  default void presence(Presence presence) {}

  default void identityChanged(IdentityChange change) {}

  /**
   * Messages queued on the server while we were away are arriving: after the first stored batch of a connection,
   * then at most every {@value org.parley.client.internal.connection.BacklogTracker#INTERVAL_MILLIS} ms, and once
   * with {@code done} when the queue is empty. Nothing when nothing was waiting. From the inbox thread.
   */
  default void backlogProgress(BacklogProgress progress) {}

  /** Connected ({@code true}) or lost the connection ({@code false}); {@code reason} for people. */
  default void connection(boolean connected, String reason) {}

  /**
   * The server revoked this device's credentials (unlinked, or the number registered again). Reported once per
   * client, after the {@link #connection} event that lost the connection; the client does not reconnect.
   */
  default void deviceRevoked(DeviceRevoked revoked) {}
}
