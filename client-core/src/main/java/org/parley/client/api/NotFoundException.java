package org.parley.client.api;

/** The number, account or conversation does not exist. */
public class NotFoundException extends ParleyException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }

  public NotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
