package org.parley.client.api;

/** The caller's input is wrong (a malformed number, an empty message, a wrong code). */
public class InvalidInputException extends ParleyException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
