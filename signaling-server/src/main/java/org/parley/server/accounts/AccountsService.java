package org.parley.server.accounts;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.server.storage.Account;
import org.parley.server.storage.AccountStore;
import org.parley.server.storage.Device;
import org.parley.server.storage.DeviceAddress;

/**
 * Accounts with a read-through cache: every message send checks the recipient's device list, which must not cost a
 * database round trip. Every change goes through here, so the cache stays right on a single server.
 */
public final class AccountsService {

  private final AccountStore store;
  private final Map<String, Account> byId = new ConcurrentHashMap<>();

  public AccountsService(AccountStore store) {
    this.store = store;
  }

  public Optional<Account> find(String accountId) {
    Account cached = byId.get(accountId);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Account> loaded = store.findById(accountId);
    // putIfAbsent: a registration that committed while we were loading has already put the newer value.
    return loaded.map(a -> {
      Account raced = byId.putIfAbsent(a.accountId(), a);
      return raced != null ? raced : a;
    });
  }

  public Optional<Account> findByNumber(String number) {
    return store.findByNumber(number).map(a -> {
      Account raced = byId.putIfAbsent(a.accountId(), a);
      return raced != null ? raced : a;
    });
  }

  public Optional<Device> device(DeviceAddress address) {
    return find(address.accountId()).flatMap(a -> a.device(address.deviceId()));
  }

  public AccountStore.Registration register(String number, String newAccountId, Device primary) {
    AccountStore.Registration registration = store.register(number, newAccountId, primary);
    byId.put(registration.account().accountId(), registration.account());
    return registration;
  }

  public void updateLastSeen(DeviceAddress device, long lastSeen) {
    store.updateLastSeen(device, lastSeen);
    byId.computeIfPresent(device.accountId(), (id, account) -> new Account(id, account.number(), account.created(),
        account.devices().stream()
            .map(d -> d.deviceId() == device.deviceId()
                ? new Device(d.deviceId(), d.registrationId(), d.passwordHash(), d.name(), d.created(), lastSeen)
                : d)
            .toList()));
  }
}
