package org.parley.desktop.view;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.SourceDataLine;

/**
 * The ring of an incoming call: two short tones (440 + 480 Hz) every three seconds through Java Sound, which fails
 * cleanly (an exception, no crash) on a machine without sound; then it stays silent and the window's pulse is the
 * only ring.
 */
final class Ringer {

  private static final float RATE = 16_000f;
  private final boolean enabled;
  private Thread thread;

  Ringer(boolean enabled) {
    this.enabled = enabled;
  }

  synchronized void start() {
    if (!enabled || thread != null) {
      return;
    }
    thread = new Thread(this::ring, "parley-ringer");
    thread.setDaemon(true);
    thread.start();
  }

  synchronized void stop() {
    if (thread != null) {
      thread.interrupt();
      thread = null;
    }
  }

  private void ring() {
    AudioFormat format = new AudioFormat(RATE, 16, 1, true, false);
    byte[] pattern = pattern();
    try (SourceDataLine line = AudioSystem.getSourceDataLine(format)) {
      line.open(format, (int) RATE);
      line.start();
      while (!Thread.currentThread().isInterrupted()) {
        for (int i = 0; i < pattern.length && !Thread.currentThread().isInterrupted(); i += 3200) {
          line.write(pattern, i, Math.min(3200, pattern.length - i));
        }
      }
      line.stop();
      line.flush();
    } catch (Exception | LinkageError e) {
      System.getLogger("parley").log(System.Logger.Level.INFO, "No ring tone: " + e);
    }
  }

  /** 0.4 s tone, 0.2 s pause, 0.4 s tone, 2 s pause. */
  private static byte[] pattern() {
    int total = (int) (RATE * 3);
    byte[] out = new byte[total * 2];
    for (int i = 0; i < total; i++) {
      double t = i / RATE;
      boolean on = t < 0.4 || t >= 0.6 && t < 1.0;
      double v = on ? 0.18 * (Math.sin(2 * Math.PI * 440 * t) + Math.sin(2 * Math.PI * 480 * t)) : 0;
      short s = (short) (v * Short.MAX_VALUE);
      out[2 * i] = (byte) s;
      out[2 * i + 1] = (byte) (s >> 8);
    }
    return out;
  }
}
