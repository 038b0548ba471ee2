package org.parley.client.api;

/**
 * An attachment's bytes do not match what its message promised: tampered with, truncated, or not encrypted with the
 * key the message carries. Nothing of it was saved; downloading it again may help if the damage was in transit.
 */
public class CorruptAttachmentException extends ParleyException {
  private static final long serialVersionUID = 1L;

  public CorruptAttachmentException(String message) {
    super(message);
  }

  public CorruptAttachmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
