package org.parley.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;

/** Human-readable lines. */
final class Text {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  private Text() {}

  static String time(long millis) {
    return TIME.format(Instant.ofEpochMilli(millis));
  }

  /** The ticks of a status: ✓ sent, ✓✓ delivered, ✓✓ read. */
  static String ticks(MessageStatus status) {
    return switch (status) {
      case PENDING -> "… pending";
      case SENT -> "✓ sent";
      case DELIVERED -> "✓✓ delivered";
      case READ -> "✓✓ read";
      case FAILED -> "✗ failed";
    };
  }

  static String received(Message m) {
    return time(m.timestamp()) + " " + m.contactNumber() + ": " + m.text() + PlaceAndPaymentOutput.suffix(m);
  }

  static String historyLine(Message m) {
    if (m.direction() == Message.Direction.INCOMING) {
      return time(m.timestamp()) + "  << " + m.text() + PlaceAndPaymentOutput.suffix(m)
          + (m.status() == MessageStatus.READ ? "" : "  [unread]");
    }
    return time(m.timestamp()) + "  >> " + m.text() + PlaceAndPaymentOutput.suffix(m) + "  [" + ticks(m.status())
        + "]";
  }
}
