package org.parley.server.auth;

import org.parley.server.storage.Device;
import org.parley.server.storage.DeviceAddress;

/** The device a request was authenticated as. */
public record AuthenticatedDevice(String accountId, int deviceId) {

  public DeviceAddress address() {
    return new DeviceAddress(accountId, deviceId);
  }

  public boolean isPrimary() {
    return deviceId == Device.PRIMARY_ID;
  }
}
