package org.parley.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.attachments.Attachment;

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

  /** One line per message, then one indented line per attachment. */
  static String historyLine(Message m) {
    String line;
    if (m.direction() == Message.Direction.INCOMING) {
      line = time(m.timestamp()) + "  << " + m.text() + PlaceAndPaymentOutput.suffix(m)
          + (m.status() == MessageStatus.READ ? "" : "  [unread]");
    } else {
      line = time(m.timestamp()) + "  >> " + m.text() + PlaceAndPaymentOutput.suffix(m) + "  [" + ticks(m.status())
          + "]";
    }
    StringBuilder all = new StringBuilder(line);
    m.attachments().forEach(a -> all.append(System.lineSeparator()).append("    ").append(attachment(a))
        .append(" ").append(state(a)));
    return all.toString();
  }

  /** {@code attachment 12: photo.jpg (image/jpeg, 1.2 MB, 640x480)}. */
  static String attachment(Attachment a) {
    StringBuilder s = new StringBuilder("attachment ").append(a.id()).append(": ").append(a.fileName())
        .append(" (").append(a.contentType()).append(", ").append(size(a.size()));
    if (a.width().isPresent() && a.height().isPresent()) {
      s.append(", ").append(a.width().getAsInt()).append('x').append(a.height().getAsInt());
    }
    a.durationMillis().ifPresent(d -> s.append(", ").append(String.format(Locale.ROOT, "%.1f s", d / 1000.0)));
    if (a.voiceNote().isPresent()) {
      s.append(", voice note");
    }
    return s.append(')').toString();
  }

  /** Where the attachment is, in words: {@code [downloaded]}, {@code [not downloaded]}, {@code [failed: why]}. */
  static String state(Attachment a) {
    String name = a.state().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return "[" + name + a.error().map(e -> ": " + e).orElse("") + "]";
  }

  /** Bytes for people: {@code 512 B}, {@code 1.5 kB}, {@code 52.4 MB} (powers of 1000, as file managers show). */
  static String size(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
