package org.parley.desktop.vm;

import java.io.IOException;

/**
 * Where voice notes are recorded from: Java Sound in the app ({@code audio.JavaSoundMicrophone}), a generated voice
 * in the demo and in tests. Mono 16-bit linear PCM.
 */
public interface Microphone {

  /** Opens the capture device; {@link NoSoundDeviceException} when there is none (or it cannot be opened). */
  Capture open() throws NoSoundDeviceException;

  /** An open capture device. */
  interface Capture extends AutoCloseable {

    int sampleRate();

    /** Blocks until samples arrive and returns how many were written to {@code into}; -1 once closed. */
    int read(short[] into) throws IOException;

    /** Stops capturing; a {@link #read} blocked in another thread returns. */
    @Override
    void close();
  }
}
