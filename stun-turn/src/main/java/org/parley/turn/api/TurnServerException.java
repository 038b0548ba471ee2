package org.parley.turn.api;

/** The server could not start: a port is taken, an address is not local, the configuration is inconsistent. */
public final class TurnServerException extends Exception {
  private static final long serialVersionUID = 1L;

  public TurnServerException(String message) {
    super(message);
  }

  public TurnServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
