package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.parley.client.api.MessageStatus;

class FormatTest {

  private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  private static final long NOW = ZonedDateTime.of(2026, 3, 12, 15, 30, 0, 0, ZONE).toInstant().toEpochMilli();

  private static long at(int day, int hour, int minute) {
    return ZonedDateTime.of(2026, 3, day, hour, minute, 0, 0, ZONE).toInstant().toEpochMilli();
  }

  @Test
  void initialsOfNamesAndNumbers() {
    assertThat(Format.initials("Maya Chen")).isEqualTo("MC");
    assertThat(Format.initials("echo")).isEqualTo("E");
    assertThat(Format.initials("Anna Maria Lopez")).isEqualTo("AM");
    assertThat(Format.initials("+15550100042")).isEqualTo("42");
    assertThat(Format.initials("  ")).isEqualTo("?");
  }

  @Test
  void chatListTimesGetCoarserWithAge() {
    assertThat(Format.listTime(at(12, 9, 5), NOW, ZONE)).isEqualTo("09:05");
    assertThat(Format.listTime(at(11, 23, 59), NOW, ZONE)).isEqualTo("Yesterday");
    assertThat(Format.listTime(at(8, 10, 0), NOW, ZONE)).isEqualTo("Sun");
    assertThat(Format.listTime(at(1, 10, 0), NOW, ZONE)).isEqualTo("01/03/26");
    assertThat(Format.listTime(0, NOW, ZONE)).isEmpty();
  }

  @Test
  void daySeparators() {
    LocalDate today = LocalDate.of(2026, 3, 12);
    assertThat(Format.day(today, today)).isEqualTo("Today");
    assertThat(Format.day(today.minusDays(1), today)).isEqualTo("Yesterday");
    assertThat(Format.day(LocalDate.of(2025, 12, 24), today)).isEqualTo("24 Dec 2025");
  }

  @Test
  void presenceLine() {
    assertThat(Format.presence(true, true, 0, NOW, ZONE)).isEqualTo("typing…");
    assertThat(Format.presence(false, true, 0, NOW, ZONE)).isEqualTo("online");
    assertThat(Format.presence(false, false, at(12, 8, 15), NOW, ZONE)).isEqualTo("last seen today at 08:15");
    assertThat(Format.presence(false, false, at(11, 8, 15), NOW, ZONE)).isEqualTo("last seen Yesterday");
    assertThat(Format.presence(false, false, 0, NOW, ZONE)).isEmpty();
  }

  @Test
  void everyStatusHasItsTick() {
    assertThat(Format.tick(MessageStatus.PENDING)).isEqualTo("\u25F7");
    assertThat(Format.tick(MessageStatus.SENT)).isEqualTo("\u2713");
    assertThat(Format.tick(MessageStatus.DELIVERED)).isEqualTo("\u2713\u2713");
    assertThat(Format.tick(MessageStatus.READ)).isEqualTo("\u2713\u2713");
    assertThat(Format.tick(MessageStatus.FAILED)).isEqualTo("!");
    assertThat(Format.statusWords(MessageStatus.FAILED)).contains("retry");
  }

  @Test
  void previewIsOneShortLine() {
    assertThat(Format.preview("a\n\nb  c")).isEqualTo("a b c");
    assertThat(Format.preview("x".repeat(200))).hasSize(80).endsWith("…");
  }
}
