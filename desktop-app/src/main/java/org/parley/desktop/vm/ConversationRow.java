package org.parley.desktop.vm;

import java.time.LocalDate;
import org.parley.client.api.MessageStatus;

/** One row of a conversation: a day separator, a message bubble or a call entry. */
public sealed interface ConversationRow {

  /** "Today", "Yesterday", "3 Mar 2026". */
  record Day(LocalDate date, String label) implements ConversationRow {}

  /**
   * A bubble.
   *
   * @param tick the status glyph for outgoing messages, empty for incoming
   */
  record Bubble(long id, boolean outgoing, String text, long timestamp, String time, MessageStatus status,
      String tick, String statusWords) implements ConversationRow {

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
