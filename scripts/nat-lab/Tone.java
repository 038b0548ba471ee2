/*
 * Parley — NAT lab tone tool. Copyright the Parley authors. SPDX-License-Identifier: AGPL-3.0-only
 *
 * Run with the JDK's source launcher (java scripts/nat-lab/Tone.java ...):
 *
 *   generate FREQ_HZ SECONDS OUT.wav
 *       A sine tone, 16 kHz, 16-bit PCM mono, at half of full scale.
 *
 *   analyze IN.wav
 *       Prints "seconds=S rms=R dominant=F share=X": the dominant frequency (Goertzel power scanned from 50 Hz to
 *       just under Nyquist in 5 Hz steps, summed over the recording's 0.5 s windows that are not silent; rms is
 *       that of the same windows, relative to full scale) and the share of the scanned power within 25 Hz of it.
 *       Exit status 1 if the file holds no audible audio.
 *
 *   expect IN.wav FREQ_HZ
 *       analyze, then exit 0 only if the dominant frequency is within 15 Hz of FREQ_HZ and holds at least half of
 *       the power (a clean tone, not noise with a bump).
 */
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

public final class Tone {
  private static final int RATE = 16_000;
  private static final double SILENCE_RMS = 0.003; // about -50 dBFS

  public static void main(String[] args) throws IOException {
    if (args.length == 4 && args[0].equals("generate")) {
      generate(Double.parseDouble(args[1]), Double.parseDouble(args[2]), Path.of(args[3]));
    } else if (args.length == 2 && args[0].equals("analyze")) {
      System.exit(analyze(Path.of(args[1]), -1));
    } else if (args.length == 3 && args[0].equals("expect")) {
      System.exit(analyze(Path.of(args[1]), Double.parseDouble(args[2])));
    } else {
      System.err.println("usage: Tone generate FREQ SECONDS OUT.wav | analyze IN.wav | expect IN.wav FREQ");
      System.exit(2);
    }
  }

  static void generate(double freq, double seconds, Path out) throws IOException {
    int n = (int) Math.round(seconds * RATE);
    ByteBuffer data = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      data.putShort((short) Math.round(0.5 * 32767 * Math.sin(2 * Math.PI * freq * i / RATE)));
    }
    ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    h.put("RIFF".getBytes()).putInt(36 + n * 2).put("WAVE".getBytes());
    h.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(RATE * 2)
        .putShort((short) 2).putShort((short) 16);
    h.put("data".getBytes()).putInt(n * 2);
    byte[] all = new byte[44 + n * 2];
    System.arraycopy(h.array(), 0, all, 0, 44);
    System.arraycopy(data.array(), 0, all, 44, n * 2);
    Files.write(out, all);
  }

  /** Samples of a 16-bit PCM WAV file, channels averaged, scaled to [-1, 1]; sets {@link #rate}. */
  static double[] read(Path in) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(in)).order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
      throw new IOException(in + ": not a RIFF/WAVE file");
    }
    int channels = 0;
    int bits = 0;
    b.position(12);
    while (b.remaining() >= 8) {
      int id = b.getInt();
      int len = b.getInt();
      int start = b.position();
      if (id == 0x20746d66) { // "fmt "
        int format = b.getShort() & 0xFFFF;
        channels = b.getShort() & 0xFFFF;
        rate = b.getInt();
        b.getInt();
        b.getShort();
        bits = b.getShort() & 0xFFFF;
        if (format != 1 || bits != 16 || channels < 1) {
          throw new IOException(in + ": only 16-bit PCM is supported (format " + format + ", " + bits + " bits)");
        }
      } else if (id == 0x61746164) { // "data"
        if (channels == 0) {
          throw new IOException(in + ": data before fmt");
        }
        int frames = Math.min(len, b.remaining()) / (2 * channels);
        double[] s = new double[frames];
        for (int i = 0; i < frames; i++) {
          double sum = 0;
          for (int c = 0; c < channels; c++) {
            sum += b.getShort() / 32768.0;
          }
          s[i] = sum / channels;
        }
        return s;
      }
      b.position(start + len + (len & 1));
    }
    throw new IOException(in + ": no data chunk");
  }

  static int rate = RATE;

  static int analyze(Path in, double expected) throws IOException {
    double[] s = read(in);
    int window = rate / 2;
    int minF = 50;
    int maxF = rate / 2 - 50;
    int bins = (maxF - minF) / 5 + 1;
    double[] power = new double[bins];
    double sumSquares = 0;
    int audible = 0;
    for (int off = 0; off + window <= s.length; off += window) {
      double ss = 0;
      for (int i = off; i < off + window; i++) {
        ss += s[i] * s[i];
      }
      if (Math.sqrt(ss / window) < SILENCE_RMS) {
        continue;
      }
      audible++;
      sumSquares += ss;
      for (int k = 0; k < bins; k++) {
        power[k] += goertzel(s, off, window, minF + 5.0 * k);
      }
    }
    double seconds = (double) s.length / rate;
    if (audible == 0) {
      System.out.printf("seconds=%.2f rms=0 dominant=none share=0%n", seconds);
      return 1;
    }
    int best = 0;
    double total = 0;
    for (int k = 0; k < bins; k++) {
      total += power[k];
      if (power[k] > power[best]) {
        best = k;
      }
    }
    double near = 0;
    for (int k = Math.max(0, best - 5); k <= Math.min(bins - 1, best + 5); k++) {
      near += power[k];
    }
    double dominant = minF + 5.0 * best;
    double share = near / total;
    double rms = Math.sqrt(sumSquares / ((double) audible * window));
    System.out.printf("seconds=%.2f audible=%.1f rms=%.4f dominant=%.0f share=%.2f%n", seconds, audible / 2.0, rms,
        dominant, share);
    if (expected < 0) {
      return 0;
    }
    return Math.abs(dominant - expected) <= 15 && share >= 0.5 ? 0 : 1;
  }

  /** Power of the frequency f in s[off, off+n) (Goertzel). */
  static double goertzel(double[] s, int off, int n, double f) {
    double w = 2 * Math.PI * f / rate;
    double coeff = 2 * Math.cos(w);
    double s1 = 0;
    double s2 = 0;
    for (int i = off; i < off + n; i++) {
      double s0 = s[i] + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return s1 * s1 + s2 * s2 - coeff * s1 * s2;
  }
}
