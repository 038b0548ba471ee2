package org.parley.client.api.voice;

import org.parley.client.api.InvalidInputException;

/**
 * An audio file is not one Parley can read: not Ogg, another codec than Opus, damaged or cut short. The message says
 * which, for the person who picked the file.
 */
public class UnreadableAudioException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public UnreadableAudioException(String message) {
    super(message);
  }

  public UnreadableAudioException(String message, Throwable cause) {
    super(message, cause);
  }
}
