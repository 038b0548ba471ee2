package org.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.internal.calls.Wav;

class TonesTest {

  @Test
  void aWrittenToneReadsBackAsThatToneAtItsRate(@TempDir Path dir) throws Exception {
    Path file = Tones.write(dir.resolve("440.wav"), 440, 16000, 0.5);
    Wav.Pcm pcm = Wav.read(file);
    assertThat(pcm.sampleRate()).isEqualTo(16000);
    assertThat(pcm.channels()).isEqualTo(1);
    short[] samples = Tones.read(file);
    assertThat(samples).hasSize(8000);
    assertThat(Tones.dominant(samples, 16000, 440, 1000)).isEqualTo(440);
    assertThat(Tones.power(samples, 0, samples.length, 440, 16000))
        .isGreaterThan(100 * Tones.power(samples, 0, samples.length, 1000, 16000));
    // 0.3 of full scale, as documented.
    int peak = 0;
    for (short s : samples) {
      peak = Math.max(peak, Math.abs(s));
    }
    assertThat(peak).isBetween(9700, 9831);
  }

  @Test
  void aToneTheRateCannotCarryIsRefused(@TempDir Path dir) {
    assertThatThrownBy(() -> Tones.write(dir.resolve("x.wav"), 9000, 16000, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9000.0 Hz cannot be sampled at 16000");
  }
}
