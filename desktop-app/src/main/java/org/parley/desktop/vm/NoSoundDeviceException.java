package org.parley.desktop.vm;

/** The computer has no microphone (or no speaker) that voice notes can use; the message says so for people. */
public class NoSoundDeviceException extends Exception {
  private static final long serialVersionUID = 1L;

  public NoSoundDeviceException(String message) {
    super(message);
  }

  public NoSoundDeviceException(String message, Throwable cause) {
    super(message, cause);
  }
}
