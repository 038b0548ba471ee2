package org.parley.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.parley.client.internal.calls.Wav;

/**
 * Test audio: sine tones written as 16-bit PCM WAV, and how strong a frequency is in a recording (Goertzel). Files
 * are read and written by client-core's {@link Wav}, the same code that plays and records call audio.
 */
public final class Tones {

  /** Amplitude of a written tone, as a fraction of full scale: loud enough to dominate, far from clipping. */
  private static final double AMPLITUDE = 0.3;

  private Tones() {}

  /** Writes {@code seconds} of a sine at {@code hz}, mono, at {@code rate} samples a second. */
  public static Path write(Path file, double hz, int rate, double seconds) throws IOException {
    if (hz <= 0 || hz >= rate / 2.0) {
      throw new IllegalArgumentException("a tone of " + hz + " Hz cannot be sampled at " + rate + " Hz");
    }
    int n = (int) (rate * seconds);
    short[] samples = new short[n];
    for (int i = 0; i < n; i++) {
      samples[i] = (short) Math.round(AMPLITUDE * Short.MAX_VALUE * Math.sin(2 * Math.PI * hz * i / rate));
    }
    Wav.write(file, new Wav.Pcm(rate, 1, samples));
    return file;
  }

  /** A recording's samples (interleaved when it is stereo). */
  public static short[] read(Path file) throws IOException {
    return Wav.read(file).samples();
  }

  /** Power of {@code hz} in {@code samples[from, to)} (Goertzel), normalised by the length. */
  public static double power(short[] samples, int from, int to, double hz, int rate) {
    double w = 2 * Math.PI * hz / rate;
    double coeff = 2 * Math.cos(w);
    double s1 = 0;
    double s2 = 0;
    for (int i = from; i < to; i++) {
      double s0 = samples[i] / 32768.0 + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    double p = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    return p / Math.max(1, to - from);
  }

  /** The frequency among {@code candidates} with the most power in the whole recording. */
  public static double dominant(short[] samples, int rate, double... candidates) {
    double best = Double.NaN;
    double bestPower = -1;
    for (double hz : candidates) {
      double p = power(samples, 0, samples.length, hz, rate);
      if (p > bestPower) {
        bestPower = p;
        best = hz;
      }
    }
    return best;
  }
}
