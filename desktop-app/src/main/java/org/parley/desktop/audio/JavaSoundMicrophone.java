package org.parley.desktop.audio;

import java.io.IOException;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.TargetDataLine;
import org.parley.desktop.vm.Microphone;
import org.parley.desktop.vm.NoSoundDeviceException;

/**
 * The system's default capture line through Java Sound, mono 16-bit. 48 kHz is asked for first (what sound cards
 * run at), then 44.1 and 16 kHz; client-core resamples to Opus's 16 kHz. Without a capture device Java Sound says
 * so at once (no line matches), unlike libwebrtc's audio module (ADR 0502), so no child JVM is needed here.
 */
public final class JavaSoundMicrophone implements Microphone {

  private static final List<Float> RATES = List.of(48_000f, 44_100f, 16_000f);

  @Override
  public Capture open() throws NoSoundDeviceException {
    Exception last = null;
    for (float rate : RATES) {
      AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
      DataLine.Info info = new DataLine.Info(TargetDataLine.class, format);
      if (!AudioSystem.isLineSupported(info)) {
        continue;
      }
      try {
        TargetDataLine line = (TargetDataLine) AudioSystem.getLine(info);
        line.open(format, (int) rate / 5 * 2);
        line.start();
        return new LineCapture(line, (int) rate);
      } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
        last = e;
      }
    }
    if (last != null) {
      throw new NoSoundDeviceException("The microphone cannot be opened: " + last.getMessage(), last);
    }
    throw new NoSoundDeviceException("No microphone found: connect one to record voice notes");
  }

  private static final class LineCapture implements Capture {
    private final TargetDataLine line;
    private final int rate;
    private byte[] bytes = new byte[0];
    private volatile boolean closed;

    LineCapture(TargetDataLine line, int rate) {
      this.line = line;
      this.rate = rate;
    }

    @Override
    public int sampleRate() {
      return rate;
    }

    @Override
    public int read(short[] into) throws IOException {
      if (closed) {
        return -1;
      }
      if (bytes.length < into.length * 2) {
        bytes = new byte[into.length * 2];
      }
      int n = line.read(bytes, 0, into.length * 2);
      if (closed && n <= 0) {
        return -1;
      }
      for (int i = 0; i < n / 2; i++) {
        into[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8));
      }
      return n / 2;
    }

    @Override
    public void close() {
      closed = true;
      line.stop();
      line.close();
    }
  }
}
