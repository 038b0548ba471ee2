package org.parley.desktop.audio;

import java.io.IOException;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import org.parley.desktop.vm.NoSoundDeviceException;
import org.parley.desktop.vm.Speaker;

/** The system's default output line through Java Sound, mono 16-bit at the voice note's rate. */
public final class JavaSoundSpeaker implements Speaker {

  @Override
  public Output open(int sampleRate) throws NoSoundDeviceException {
    AudioFormat format = new AudioFormat(sampleRate, 16, 1, true, false);
    DataLine.Info info = new DataLine.Info(SourceDataLine.class, format);
    if (!AudioSystem.isLineSupported(info)) {
      throw new NoSoundDeviceException("No speaker or headphones found: voice notes cannot be played here");
    }
    try {
      SourceDataLine line = (SourceDataLine) AudioSystem.getLine(info);
      // A fifth of a second queued: pause and seek answer quickly, short enough gaps do not underrun.
      line.open(format, sampleRate / 5 * 2);
      line.start();
      return new LineOutput(line);
    } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
      throw new NoSoundDeviceException("The speaker cannot be opened: " + e.getMessage(), e);
    }
  }

  private static final class LineOutput implements Output {
    private final SourceDataLine line;
    private byte[] bytes = new byte[0];
    private volatile boolean closed;

    LineOutput(SourceDataLine line) {
      this.line = line;
    }

    @Override
    public void write(short[] samples, int count) throws IOException {
      if (closed) {
        return;
      }
      if (bytes.length < count * 2) {
        bytes = new byte[count * 2];
      }
      for (int i = 0; i < count; i++) {
        bytes[2 * i] = (byte) samples[i];
        bytes[2 * i + 1] = (byte) (samples[i] >> 8);
      }
      line.write(bytes, 0, count * 2);
    }

    @Override
    public void drain() {
      if (!closed) {
        line.drain();
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      line.stop();
      line.flush();
      line.close();
    }
  }
}
