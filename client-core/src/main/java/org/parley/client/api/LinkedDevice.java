package org.parley.client.api;

/**
 * One device of our account. Device 1 is the primary (the phone); the others are linked to it.
 *
 * @param thisDevice whether it is the device this client runs as
 */
public record LinkedDevice(int deviceId, String name, long created, long lastSeen, boolean thisDevice) {

  public boolean primary() {
    return deviceId == 1;
  }
}
