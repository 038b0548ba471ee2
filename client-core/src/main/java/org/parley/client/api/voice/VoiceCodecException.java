package org.parley.client.api.voice;

import org.parley.client.api.ParleyException;

/**
 * The Opus codec is not usable on this machine (its native library did not load) or refused to work; voice notes
 * cannot be recorded or played until that is fixed. Text and other messages are unaffected.
 */
public class VoiceCodecException extends ParleyException {
  private static final long serialVersionUID = 1L;

  public VoiceCodecException(String message) {
    super(message);
  }

  public VoiceCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
