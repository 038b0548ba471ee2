package org.parley.server.storage;

import java.util.List;
import java.util.Optional;

/** An account and its devices, as stored. Immutable: a change produces a new value from the store. */
public record Account(String accountId, String number, long created, List<Device> devices) {

  public Account {
    devices = List.copyOf(devices);
  }

  public Optional<Device> device(int deviceId) {
    return devices.stream().filter(d -> d.deviceId() == deviceId).findFirst();
  }
}
