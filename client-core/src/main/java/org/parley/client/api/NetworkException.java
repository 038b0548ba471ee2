package org.parley.client.api;

/** The server cannot be reached or answered with a server error; trying again later may work. */
public class NetworkException extends ParleyException {
  private static final long serialVersionUID = 1L;

  public NetworkException(String message) {
    super(message);
  }

  public NetworkException(String message, Throwable cause) {
    super(message, cause);
  }
}
