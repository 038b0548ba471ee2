package org.parley.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one clock tests move by hand. It either stands still at a given instant ({@link #fixedAt}) or follows the
 * system clock ({@link #followingSystemTime}); {@link #advance} adds to it in both cases. Thread-safe.
 *
 * <p>It lives in stun-turn's test-jar because stun-turn is the lowest module whose tests need a clock: the
 * signaling server's tests, {@code TestServer} and test-support take it from there (see
 * docs/decisions/0801-test-support.md).
 */
public final class TestClock extends Clock {

  /** Null when the clock follows the system clock. */
  private final Instant fixedStart;
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  private TestClock(Instant fixedStart) {
    this.fixedStart = fixedStart;
  }

  /** A clock that shows {@code start} until a test advances it. */
  public static TestClock fixedAt(Instant start) {
    return new TestClock(Objects.requireNonNull(start, "start"));
  }

  /** The system clock plus whatever the test advanced it by: a running server sees time pass as usual. */
  public static TestClock followingSystemTime() {
    return new TestClock(null);
  }

  /** Moves the clock forward; a negative duration is refused, since no component expects time to go back. */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a test clock only moves forward, got " + by);
    }
    offset.accumulateAndGet(by, Duration::plus);
  }

  @Override
  public Instant instant() {
    Instant base = fixedStart != null ? fixedStart : Instant.ofEpochMilli(System.currentTimeMillis());
    return base.plus(offset.get());
  }

  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** Time zones do not matter to the components under test; the same clock is returned. */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
