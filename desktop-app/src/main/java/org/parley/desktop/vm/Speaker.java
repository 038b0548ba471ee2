package org.parley.desktop.vm;

import java.io.IOException;

/** Where voice notes play: Java Sound in the app ({@code audio.JavaSoundSpeaker}), a recording sink in tests. */
public interface Speaker {

  /** Opens the output for mono 16-bit PCM; {@link NoSoundDeviceException} when there is no output device. */
  Output open(int sampleRate) throws NoSoundDeviceException;

  /** An open output. */
  interface Output extends AutoCloseable {

    /** Queues {@code count} samples, blocking while the device's buffer is full (that paces playback). */
    void write(short[] samples, int count) throws IOException;

    /** Plays out what is queued. */
    void drain();

    /** Stops at once, dropping what is queued (pause, seek); a blocked {@link #write} returns. */
    @Override
    void close();
  }
}
