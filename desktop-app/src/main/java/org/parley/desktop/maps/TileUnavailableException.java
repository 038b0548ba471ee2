package org.parley.desktop.maps;

/** A map tile could not be had: maps are off, the server is unreachable or answered badly; the message says which. */
public final class TileUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public TileUnavailableException(String message) {
    super(message);
  }

  public TileUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
