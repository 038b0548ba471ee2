package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** WSOLA: the length scales with the speed, the pitch stays; 1× gives the input back. */
class TimeStretchTest {

  private static final int RATE = 48_000;

  private static short[] run(short[] in, double speed) {
    TimeStretch stretch = new TimeStretch(in, RATE);
    short[] out = new short[(int) (in.length / speed) + RATE];
    short[] block = new short[stretch.hop()];
    int at = 0;
    int n;
    while ((n = stretch.next(block, speed)) > 0) {
      System.arraycopy(block, 0, out, at, n);
      at += n;
    }
    return Arrays.copyOf(out, at);
  }

  @ParameterizedTest
  @CsvSource({"1.5, 440", "2.0, 440", "1.5, 1000", "2.0, 1000", "2.0, 180", "0.75, 300"})
  void theLengthScalesAndTheDominantFrequencyStays(double speed, double hz) {
    short[] in = TestAudio.sine(hz, 2.0, RATE, 0.5);
    short[] out = run(in, speed);
    assertThat((double) out.length).isCloseTo(in.length / speed, within(RATE * 0.02));
    assertThat(TestAudio.dominantHz(out, out.length, RATE)).isCloseTo(hz, within(10.0));
    // A naive speed-up (dropping samples) would double the pitch: make sure the test would see that.
    short[] naive = new short[(int) (in.length / speed)];
    for (int i = 0; i < naive.length; i++) {
      naive[i] = in[(int) (i * speed)];
    }
    assertThat(TestAudio.dominantHz(naive, naive.length, RATE)).isCloseTo(hz * speed, within(10.0));
  }

  @Test
  void theSpedUpToneKeepsItsLoudnessWithoutClicks() {
    short[] in = TestAudio.sine(440, 2.0, RATE, 0.5);
    short[] out = run(in, 2.0);
    // Past the 10 ms fade-in, well-aligned frames add up to the tone's own level: no cancellation, no spikes.
    int peak = 0;
    double sum = 0;
    for (int i = RATE / 50; i < out.length - RATE / 50; i++) {
      peak = Math.max(peak, Math.abs(out[i]));
      sum += (double) out[i] * out[i];
    }
    double rms = Math.sqrt(sum / (out.length - 2 * RATE / 50)) / Short.MAX_VALUE;
    assertThat(rms).isCloseTo(0.5 / Math.sqrt(2), within(0.04));
    assertThat(peak).isLessThanOrEqualTo((int) (0.5 * Short.MAX_VALUE * 1.08));
  }

  @Test
  void atNormalSpeedTheOutputIsTheInput() {
    short[] in = TestAudio.sine(440, 1.0, RATE, 0.5);
    short[] out = run(in, 1.0);
    int fade = new TimeStretch(in, RATE).hop();
    for (int i = fade; i < in.length; i++) {
      assertThat(Math.abs(out[i] - in[i])).as("sample %d", i).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void seekingContinuesFromThere() {
    short[] in = TestAudio.sine(440, 2.0, RATE, 0.5);
    TimeStretch stretch = new TimeStretch(in, RATE);
    stretch.seek(RATE);
    assertThat(stretch.position()).isEqualTo(RATE);
    short[] block = new short[stretch.hop()];
    int total = 0;
    int n;
    while ((n = stretch.next(block, 1.0)) > 0) {
      total += n;
    }
    assertThat(total).isCloseTo(RATE, within(stretch.hop()));
    assertThat(stretch.finished()).isTrue();
  }
}
