package org.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TestClockTest {

  @Test
  void aFixedClockStandsStillUntilAdvanced() throws Exception {
    Instant start = Instant.parse("2026-11-28T08:00:00Z");
    TestClock clock = TestClock.fixedAt(start);
    Thread.sleep(5);
    assertThat(clock.instant()).isEqualTo(start);
    clock.advance(Duration.ofMinutes(10).plusNanos(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(clock.instant()).isEqualTo(start.plusSeconds(601).plusNanos(1));
    assertThat(clock.millis()).isEqualTo(start.plusSeconds(601).toEpochMilli());
  }

  @Test
  void aClockFollowingSystemTimeRunsWithItPlusTheAdvance() {
    TestClock clock = TestClock.followingSystemTime();
    long before = System.currentTimeMillis();
    assertThat(clock.millis()).isBetween(before, System.currentTimeMillis());
    clock.advance(Duration.ofDays(30));
    long later = System.currentTimeMillis() + Duration.ofDays(30).toMillis();
    assertThat(clock.millis()).isBetween(later - 1_000, later + 1_000);
  }

  @Test
  void goingBackIsRefused() {
    TestClock clock = TestClock.fixedAt(Instant.EPOCH);
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only moves forward");
    assertThat(clock.instant()).isEqualTo(Instant.EPOCH);
  }
}
