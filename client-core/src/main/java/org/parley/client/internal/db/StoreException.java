package org.parley.client.internal.db;

/** A local database failure: the disk, the file or a bug, never the user's input. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(Throwable cause) {
    super(cause.getMessage(), cause);
  }
}
