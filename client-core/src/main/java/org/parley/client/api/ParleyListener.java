package org.parley.client.api;

import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentProgress;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupMessageInfo;
import org.parley.client.api.groups.GroupProblem;
import org.parley.client.api.groups.GroupTyping;
import org.parley.client.api.groups.SenderKeyProblem;
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

  /** A group message arrived (from a member, or sent from another of our devices). */
  default void groupMessageReceived(GroupMessage message) {}

  /** One of our group messages moved (sent, delivered to every member, read by every member, failed). */
  default void groupStatusChanged(GroupMessage message) {}

  /**
   * A member's receipt for one of our group messages arrived (delivered or read by that member): "message info" as
   * it is now. Comes for every member's receipt, also when the message's overall status does not change.
   */
  default void groupMessageInfoChanged(GroupMessageInfo info) {}

  /**
   * A group was created, changed or we were added, removed or left (here, by a member or on another of our devices):
   * {@code group} is the state now, {@code event} the system line the change left in the conversation.
   */
  default void groupChanged(GroupInfo group, GroupEvent event) {}

  /** {@link ParleyClient#markGroupRead} (here or on another of our devices) marked {@code count} messages read. */
  default void groupRead(GroupId groupId, int count) {}

  default void groupTyping(GroupTyping typing) {}

  /**
   * A group message could not be decrypted; the sender's device has been asked for its sender key again. Shown, not
   * dropped: the message arrives later if the sender resends it.
   */
  default void senderKeyProblem(SenderKeyProblem problem) {}

  /** Group content was refused (unknown group, not a member, a change its author may not make); nothing applied. */
  default void groupProblem(GroupProblem problem) {}

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
