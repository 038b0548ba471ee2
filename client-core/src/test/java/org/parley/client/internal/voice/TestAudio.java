package org.parley.client.internal.voice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.parley.testing.Tones;

/** Test signals, their measurement, and the opus-tools command-line programs. */
final class TestAudio {

  private TestAudio() {}

  /** A sine of {@code hz} at {@code amplitude} (of full scale) on every channel. */
  static PcmAudio tone(int rate, int channels, double hz, double seconds, double amplitude) {
    int frames = (int) Math.round(rate * seconds);
    short[] samples = new short[frames * channels];
    for (int i = 0; i < frames; i++) {
      short v = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / rate));
      for (int c = 0; c < channels; c++) {
        samples[i * channels + c] = v;
      }
    }
    return new PcmAudio(rate, channels, samples);
  }

  /** RMS level of a mono signal relative to full scale, in dB, skipping {@code edge} samples at both ends. */
  static double rmsDb(short[] samples, int edge) {
    double sum = 0;
    int n = 0;
    for (int i = edge; i < samples.length - edge; i++) {
      sum += (double) samples[i] * samples[i];
      n++;
    }
    return 20 * Math.log10(Math.sqrt(sum / n) / 32768);
  }

  /** Amplitude (of full scale) of {@code hz} in a mono signal, by Goertzel over the middle of it. */
  static double amplitudeOf(short[] samples, int rate, double hz) {
    int edge = samples.length / 10;
    // Tones.power is |X|²/N with samples scaled to ±1; a sine of amplitude A gives A²N/4.
    return 2 * Math.sqrt(Tones.power(samples, edge, samples.length - edge, hz, rate) / (samples.length - 2 * edge));
  }

  record Run(int exitCode, String output) {}

  /** Runs a program, merging its stderr into its stdout. */
  static Run run(Path dir, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish within 60 s");
    }
    return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
