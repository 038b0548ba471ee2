package org.parley.desktop.vm;

import java.time.LocalDate;
import java.util.List;
import org.parley.client.api.MessageStatus;

/** One row of a conversation: a day separator, a message bubble or a call entry. */
public sealed interface ConversationRow {

  /** "Today", "Yesterday", "3 Mar 2026". */
  record Day(LocalDate date, String label) implements ConversationRow {}

  /**
   * A bubble.
   *
   * @param tick the status glyph for outgoing messages, empty for incoming
   * @param text the message, or the caption of its attachments (possibly empty)
   * @param attachments pictures, videos and files, shown above the text
   */
  record Bubble(long id, boolean outgoing, String text, long timestamp, String time, MessageStatus status,
      String tick, String statusWords, List<AttachmentItem> attachments) implements ConversationRow {

    public Bubble {
      attachments = List.copyOf(attachments);
    }

    /** A text bubble. */
    public Bubble(long id, boolean outgoing, String text, long timestamp, String time, MessageStatus status,
        String tick, String statusWords) {
      this(id, outgoing, text, timestamp, time, status, tick, statusWords, List.of());
    }

    /** The same bubble with one attachment replaced (matched by id). */
    public Bubble withAttachment(AttachmentItem item) {
      List<AttachmentItem> next = attachments.stream().map(a -> a.id() == item.id() ? item : a).toList();
      return new Bubble(id, outgoing, text, timestamp, time, status, tick, statusWords, next);
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
}
