package org.parley.client.api;

/**
 * The server no longer accepts this device's credentials: it closed the connection with 4401, or refused a device
 * that used to work with 401. The client has stopped reconnecting; this data directory cannot be used again on this
 * account (link or register anew).
 *
 * @param reason why, as far as the server told us
 * @param serverMessage the server's words (the close reason or the HTTP error), for logs
 */
public record DeviceRevoked(Reason reason, String serverMessage) {

  public enum Reason {
    /** The primary device unlinked this (linked) device. */
    UNLINKED,
    /**
     * The account's number was registered again (on another phone, or with another data directory): every device of
     * the old registration is locked out — a primary has been replaced, a linked device is no longer linked to it.
     */
    REREGISTERED
  }
}
