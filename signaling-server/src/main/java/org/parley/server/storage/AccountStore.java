package org.parley.server.storage;

import java.util.List;
import java.util.Optional;

/** Accounts and their devices. */
public interface AccountStore {

  Optional<Account> findById(String accountId);

  Optional<Account> findByNumber(String number);

  /**
   * Creates the account for {@code number} with {@code primary} as device 1, or, when the number already has an
   * account, keeps its id and replaces all its devices with {@code primary}.
   */
  Registration register(String number, String newAccountId, Device primary);

  /**
   * Adds a linked device with the next free id (above every id the account has now), unless the account already
   * has {@code maxDevices} devices. Empty when the account does not exist or is full.
   */
  Optional<Account> addDevice(String accountId, Device withoutId, int maxDevices);

  /** Removes one device; false when the account has no such device. */
  boolean removeDevice(DeviceAddress device);

  /** Records when a device was last connected. */
  void updateLastSeen(DeviceAddress device, long lastSeen);

  /** The outcome of {@link #register}; {@code replacedDevices} is empty for a new account. */
  record Registration(Account account, List<Integer> replacedDevices) {
    public boolean reregistered() {
      return !replacedDevices.isEmpty();
    }
  }
}
