package org.parley.server.storage;

/** One device of one account: the unit messages are queued for. */
public record DeviceAddress(String accountId, int deviceId) {
  @Override
  public String toString() {
    return accountId + "." + deviceId;
  }
}
