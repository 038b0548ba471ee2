package org.parley.client.internal.voice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResamplerTest {

  @ParameterizedTest
  @ValueSource(ints = {8_000, 11_025, 22_050, 32_000, 44_100, 48_000, 96_000})
  void aToneInTheSpeechBandKeepsItsLevelAndFrequency(int from) {
    short[] in = TestAudio.tone(from, 1, 1000, 1.0, 0.5).samples();
    short[] out = Resampler.resample(in, from, 16_000);
    assertThat(out).hasSize(16_000);
    double edge = 16_000 / 10.0;
    assertThat(TestAudio.rmsDb(out, (int) edge)).isCloseTo(TestAudio.rmsDb(in, from / 10), within(0.05));
    assertThat(TestAudio.amplitudeOf(out, 16_000, 1000)).isCloseTo(0.5, within(0.005));
  }

  @ParameterizedTest
  @ValueSource(ints = {9_000, 12_000, 15_000})
  void tonesAboveTheNewNyquistAreRemovedNotFoldedBackIntoSpeech(int hz) {
    // At 48 kHz → 16 kHz, dropping samples would fold 9, 12, 15 kHz to 7, 4 and 1 kHz at full level.
    short[] in = TestAudio.tone(48_000, 1, hz, 1.0, 0.5).samples();
    short[] out = Resampler.resample(in, 48_000, 16_000);
    assertThat(TestAudio.rmsDb(out, 1600)).isLessThan(-6 - 70.0); // input is -9 dBFS; ≥ 70 dB down
    short[] decimated = new short[16_000];
    for (int i = 0; i < decimated.length; i++) {
      decimated[i] = in[3 * i];
    }
    assertThat(TestAudio.rmsDb(decimated, 1600)).isGreaterThan(-10.0); // what naive decimation leaves
  }

  @Test
  void upsamplingAddsNoImagesAndKeepsDc() {
    short[] in = TestAudio.tone(8_000, 1, 3000, 1.0, 0.5).samples();
    short[] out = Resampler.resample(in, 8_000, 16_000);
    assertThat(out).hasSize(16_000);
    assertThat(TestAudio.amplitudeOf(out, 16_000, 3000)).isCloseTo(0.5, within(0.01));
    assertThat(TestAudio.amplitudeOf(out, 16_000, 5000)).isLessThan(0.0005); // the image of 3 kHz at 8 kHz

    short[] dc = new short[4410];
    Arrays.fill(dc, (short) 10_000);
    short[] dcOut = Resampler.resample(dc, 44_100, 16_000);
    assertThat(dcOut[800]).isBetween((short) 9_995, (short) 10_005);
  }

  @Test
  void fullScaleSquareWavesClipInsteadOfWrappingAround() {
    short[] square = new short[4800];
    for (int i = 0; i < square.length; i++) {
      square[i] = (i / 24) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
    }
    short[] out = Resampler.resample(square, 48_000, 16_000);
    // Gibbs overshoot would exceed full scale; a wrap-around would flip the sign in the middle of a half period.
    for (int i = 100; i < out.length - 100; i++) {
      int phase = (3 * i) % 48;
      if (phase > 8 && phase < 16) {
        assertThat(out[i]).as("sample %d", i).isGreaterThan((short) 20_000);
      }
    }
    assertThat(Resampler.resample(square, 16_000, 16_000)).isEqualTo(square);
  }

  private static Offset<Double> within(double tolerance) {
    return Offset.offset(tolerance);
  }
}
