package org.parley.desktop.vm;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;
import org.parley.client.api.MessageStatus;

/** How times, names and statuses read in the UI. Pure functions of their inputs and the zone. */
public final class Format {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
  private static final DateTimeFormatter SHORT_DATE = DateTimeFormatter.ofPattern("dd/MM/yy", Locale.ROOT);

  private Format() {}

  /** Up to two letters for an avatar: initials of the first two words, or the last two digits of a number. */
  public static String initials(String name) {
    String n = name == null ? "" : name.strip();
    if (n.isEmpty()) {
      return "?";
    }
    if (n.startsWith("+") || Character.isDigit(n.charAt(0))) {
      String digits = n.replaceAll("[^0-9]", "");
      return digits.length() <= 2 ? digits : digits.substring(digits.length() - 2);
    }
    String[] words = n.split("\\s+");
    StringBuilder sb = new StringBuilder();
    for (String w : words) {
      if (!w.isEmpty() && sb.length() < 2) {
        sb.appendCodePoint(Character.toUpperCase(w.codePointAt(0)));
      }
    }
    return sb.toString();
  }

  /** A chat list time: "14:05" today, "Yesterday", the weekday within a week, else a short date. */
  public static String listTime(long millis, long now, ZoneId zone) {
    if (millis <= 0) {
      return "";
    }
    ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(zone);
    LocalDate today = Instant.ofEpochMilli(now).atZone(zone).toLocalDate();
    LocalDate day = t.toLocalDate();
    if (day.equals(today)) {
      return TIME.format(t);
    }
    if (day.equals(today.minusDays(1))) {
      return "Yesterday";
    }
    if (day.isAfter(today.minusDays(7))) {
      return day.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
    }
    return SHORT_DATE.format(t);
  }

  public static String time(long millis, ZoneId zone) {
    return TIME.format(Instant.ofEpochMilli(millis).atZone(zone));
  }

  /** The label of a day separator: "Today", "Yesterday" or "3 Mar 2026". */
  public static String day(LocalDate day, LocalDate today) {
    if (day.equals(today)) {
      return "Today";
    }
    if (day.equals(today.minusDays(1))) {
      return "Yesterday";
    }
    return DATE.format(day);
  }

  /** The line under a contact's name: typing wins over online, then "last seen". */
  public static String presence(boolean typing, boolean online, long lastSeen, long now, ZoneId zone) {
    if (typing) {
      return "typing…";
    }
    if (online) {
      return "online";
    }
    if (lastSeen <= 0) {
      return "";
    }
    String when = listTime(lastSeen, now, zone);
    return when.matches("\\d\\d:\\d\\d") ? "last seen today at " + when : "last seen " + when;
  }

  /** The tick after an outgoing message's time. */
  public static String tick(MessageStatus status) {
    return switch (status) {
      case PENDING -> "\u25F7"; // a clock face
      case SENT -> "\u2713";
      case DELIVERED, READ -> "\u2713\u2713";
      case FAILED -> "!";
    };
  }

  /** The status in words, for tooltips and screen readers. */
  public static String statusWords(MessageStatus status) {
    return switch (status) {
      case PENDING -> "Sending";
      case SENT -> "Sent";
      case DELIVERED -> "Delivered";
      case READ -> "Read";
      case FAILED -> "Not sent — click to retry";
    };
  }

  /** A file size: "812 B", "14 kB", "3.2 MB", "1.1 GB" (powers of 1000, as file managers show them). */
  public static String bytes(long n) {
    if (n < 1000) {
      return n + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = n;
    int unit = -1;
    while (v >= 999.95 && unit < units.length - 1) {
      v /= 1000;
      unit++;
    }
    return (v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.valueOf(Math.round(v))) + " " + units[unit];
  }

  /** One line of a message for the chat list. */
  public static String preview(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() > 80 ? oneLine.substring(0, 79) + "…" : oneLine;
  }
}
