package org.parley.client.api;

/** This data directory has no registered account yet (or no registration in progress). */
public class NotRegisteredException extends ParleyException {
  private static final long serialVersionUID = 1L;

  public NotRegisteredException(String message) {
    super(message);
  }

  public NotRegisteredException(String message, Throwable cause) {
    super(message, cause);
  }
}
