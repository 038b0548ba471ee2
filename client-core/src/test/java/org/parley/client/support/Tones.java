package org.parley.client.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test audio: sine tones written as 16-bit PCM WAV, and the strength of a frequency in a WAV (Goertzel). */
public final class Tones {

  private Tones() {}

  /** Writes {@code seconds} of a sine at {@code hz} (amplitude 0.3 of full scale), mono. */
  public static Path write(Path file, double hz, int rate, double seconds) throws IOException {
    int n = (int) (rate * seconds);
    short[] s = new short[n];
    for (int i = 0; i < n; i++) {
      s[i] = (short) Math.round(0.3 * 32767 * Math.sin(2 * Math.PI * hz * i / rate));
    }
    writeWav(file, rate, s);
    return file;
  }

  public static void writeWav(Path file, int rate, short[] samples) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(44 + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + samples.length * 2).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
        .putShort((short) 2).putShort((short) 16);
    b.put("data".getBytes()).putInt(samples.length * 2);
    for (short v : samples) {
      b.putShort(v);
    }
    Files.write(file, b.array());
  }

  /** A mono 16-bit WAV's samples (the 44-byte canonical header that {@link #writeWav} and Parley write). */
  public static short[] read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    short[] s = new short[(b.capacity() - 44) / 2];
    for (int i = 0; i < s.length; i++) {
      s[i] = b.getShort(44 + 2 * i);
    }
    return s;
  }

  public static int sampleRate(Path file) throws IOException {
    return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getInt(24);
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
