package org.parley.client.api;

/** The server refused our credentials (the account was re-registered or the device removed). */
public class AuthenticationException extends ParleyException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String message) {
    super(message);
  }

  public AuthenticationException(String message, Throwable cause) {
    super(message, cause);
  }
}
