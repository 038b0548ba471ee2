package org.parley.server.storage.jdbc;

/** A database failure the caller cannot recover from in place; the request fails with 500 and nothing is half-written. */
public final class JdbcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JdbcException(String message, Throwable cause) {
    super(message, cause);
  }
}
