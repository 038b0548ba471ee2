package org.parley.client.api;

/** Something the caller can act on went wrong; subclasses say what kind. */
public class ParleyException extends Exception {
  private static final long serialVersionUID = 1L;

  public ParleyException(String message) {
    super(message);
  }

  public ParleyException(String message, Throwable cause) {
    super(message, cause);
  }
}
