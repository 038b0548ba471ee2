package org.parley.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.parley.desktop.vm.Microphone;
import org.parley.desktop.vm.NoSoundDeviceException;
import org.parley.desktop.vm.VoiceDevices;

/**
 * A made-up voice for the demo: syllables of a vowel-like sound (a buzz at a wandering pitch through two formant
 * resonances) with pauses between words. Echo answers voice notes with it, and on a computer without a microphone
 * the demo records it instead, so the recorder and the voice bubbles can be seen anywhere.
 */
public final class DemoVoice {

  private DemoVoice() {}

  /** {@code seconds} of the made-up voice at {@code rate}, mono 16-bit; the same seed gives the same sound. */
  public static short[] speech(double seconds, int rate, long seed) {
    Random random = new Random(seed);
    int n = (int) (seconds * rate);
    short[] out = new short[n];
    double phase = 0;
    double syllableEnd = 0;
    double syllableStart = 0;
    double pitch = 150;
    double[] formants = {700, 1200};
    // Two-pole resonators for the formants (state per filter).
    double[] y1 = new double[2];
    double[] y2 = new double[2];
    boolean voiced = true;
    for (int i = 0; i < n; i++) {
      double t = (double) i / rate;
      if (t >= syllableEnd) {
        syllableStart = t;
        // Never two pauses in a row: a word follows every pause.
        voiced = !voiced || random.nextDouble() > 0.18;
        syllableEnd = t + (voiced ? 0.14 + random.nextDouble() * 0.2 : 0.08 + random.nextDouble() * 0.25);
        pitch = 120 + random.nextDouble() * 80;
        formants = new double[] {400 + random.nextDouble() * 500, 900 + random.nextDouble() * 1300};
      }
      double length = syllableEnd - syllableStart;
      double x = (t - syllableStart) / length;
      double envelope = voiced ? Math.sin(Math.PI * x) : 0;
      double f0 = pitch * (1 + 0.12 * Math.sin(2 * Math.PI * x) - 0.08 * t / seconds);
      phase += f0 / rate;
      // A glottal-like pulse train: a sawtooth, rich in harmonics for the formants to shape.
      double source = 2 * (phase - Math.floor(phase)) - 1;
      double sum = 0;
      for (int k = 0; k < 2; k++) {
        double r = Math.exp(-Math.PI * 90 / rate);
        double a1 = 2 * r * Math.cos(2 * Math.PI * formants[k] / rate);
        double a2 = -r * r;
        double y = (1 - r) * source + a1 * y1[k] + a2 * y2[k];
        y2[k] = y1[k];
        y1[k] = y;
        sum += y;
      }
      out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, 9000 * envelope * sum));
    }
    return out;
  }

  /** Writes {@link #speech} as a 16 kHz WAV file. */
  public static Path writeWav(Path file, double seconds, long seed) throws IOException {
    int rate = 16_000;
    short[] pcm = speech(seconds, rate, seed);
    ByteBuffer b = ByteBuffer.allocate(44 + pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + pcm.length * 2)
        .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(pcm.length * 2);
    for (short s : pcm) {
      b.putShort(s);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(b.array());
    }
    return file;
  }

  /** The system's devices, with the made-up voice as the microphone when the system has none. */
  static VoiceDevices withVoiceFallback(VoiceDevices system) {
    Microphone mic = () -> {
      try {
        return system.microphone().open();
      } catch (NoSoundDeviceException e) {
        return new GeneratedCapture();
      }
    };
    return new VoiceDevices(mic, system.speaker());
  }

  /** The made-up voice, delivered in real time like a capture device. */
  private static final class GeneratedCapture implements Microphone.Capture {
    private static final int RATE = 16_000;
    private final short[] voice = speech(60, RATE, System.nanoTime());
    private final long started = System.nanoTime();
    private int position;
    private volatile boolean closed;

    @Override
    public int sampleRate() {
      return RATE;
    }

    @Override
    public int read(short[] into) throws IOException {
      while (!closed) {
        long due = (System.nanoTime() - started) * RATE / 1_000_000_000L;
        int n = (int) Math.min(into.length, due - position);
        if (n > 0) {
          for (int i = 0; i < n; i++) {
            into[i] = voice[(position + i) % voice.length];
          }
          position += n;
          return n;
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return -1;
        }
      }
      return -1;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
