package org.parley.desktop.vm;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.parley.client.api.MessageStatus;

/** One row of a conversation: a day separator, a message bubble, a call entry or a group's system line. */
public sealed interface ConversationRow {

  /** "Today", "Yesterday", "3 Mar 2026". */
  record Day(LocalDate date, String label) implements ConversationRow {}

  /**
   * A bubble.
   *
   * @param tick the status glyph for outgoing messages, empty for incoming
   * @param text the message, or the caption of its attachments (possibly empty)
   * @param attachments pictures, videos and files, shown above the text
   * @param sender in a group, who sent an incoming message: their name and colour above the text; empty otherwise
   */
  record Bubble(long id, boolean outgoing, String text, long timestamp, String time, MessageStatus status,
      String tick, String statusWords, List<AttachmentItem> attachments, Optional<Sender> sender)
      implements ConversationRow {

    public Bubble {
      attachments = List.copyOf(attachments);
      Objects.requireNonNull(sender, "sender");
    }

    /** A bubble of a one-to-one conversation. */
    public Bubble(long id, boolean outgoing, String text, long timestamp, String time, MessageStatus status,
        String tick, String statusWords, List<AttachmentItem> attachments) {
      this(id, outgoing, text, timestamp, time, status, tick, statusWords, attachments, Optional.empty());
    }

    /** A text bubble. */
    public Bubble(long id, boolean outgoing, String text, long timestamp, String time, MessageStatus status,
        String tick, String statusWords) {
      this(id, outgoing, text, timestamp, time, status, tick, statusWords, List.of());
    }

    /** The same bubble with one attachment replaced (matched by id). */
    public Bubble withAttachment(AttachmentItem item) {
      List<AttachmentItem> next = attachments.stream().map(a -> a.id() == item.id() ? item : a).toList();
      return new Bubble(id, outgoing, text, timestamp, time, status, tick, statusWords, next, sender);
    }

    public boolean hasAttachment(long attachmentId) {
      return attachments.stream().anyMatch(a -> a.id() == attachmentId);
    }

    public boolean failed() {
      return status == MessageStatus.FAILED;
    }

    public boolean read() {
      return outgoing && status == MessageStatus.READ;
    }
  }

  /**
   * A call entry, shown as a centred system row: "Outgoing call (0:42) · 10:31".
   *
   * @param kind {@code outgoing}, {@code incoming}, {@code missed} or {@code declined} (for styling)
   */
  record CallEntry(long id, long timestamp, String text, String time, String kind) implements ConversationRow {}

  /**
   * Who sent a group message.
   *
   * @param colour one of {@link SenderColours#PALETTE} (the view's {@code sender-N} style)
   */
  record Sender(String number, String name, int colour) {}

  /** A centred line about a change to a group: "Alice added Bob", "You renamed the group to “Trip”". */
  record SystemLine(long id, long timestamp, String text, String time) implements ConversationRow {}
}
