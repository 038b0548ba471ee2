package org.parley.server.storage;

/** A registered device. The password is kept only as a slow hash. */
public record Device(
    int deviceId, int registrationId, String passwordHash, String name, long created, long lastSeen) {

  public static final int PRIMARY_ID = 1;

  public boolean isPrimary() {
    return deviceId == PRIMARY_ID;
  }
}
