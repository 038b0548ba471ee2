package org.parley.server.accounts;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.parley.server.cluster.Cluster;
import org.parley.server.cluster.SingleNode;
import org.parley.server.storage.Account;
import org.parley.server.storage.AccountStore;
import org.parley.server.storage.Device;
import org.parley.server.storage.DeviceAddress;

/**
 * Accounts with a read-through cache: every message send checks the recipient's device list, which must not cost a
 * database round trip. Every change goes through here, so the cache stays right on a single server; in a cluster
 * each change is announced to the other servers, which drop their copy (ADR 0151), and since an announcement can be
 * lost (a failed PUBLISH) a copy is read again once it is older than the cache's time to live.
 */
public final class AccountsService {

  private final AccountStore store;
  private final Map<String, Account> byId = new ConcurrentHashMap<>();
  /** When each cached account was read from the store (nanos of {@link #clock}); only with a time to live. */
  private final Map<String, Long> loadedAt = new ConcurrentHashMap<>();
  private final Cluster cluster;
  private final long ttlNanos;
  private final LongSupplier clock;

  public AccountsService(AccountStore store) {
    this(store, new SingleNode());
  }

  /** Cached until changed: every change goes through this server or reaches it through {@code cluster}. */
  public AccountsService(AccountStore store, Cluster cluster) {
    this(store, cluster, null, System::nanoTime);
  }

  /** Cached for at most {@code ttl} (by {@code clock}, in nanoseconds), even when no change was heard of. */
  public AccountsService(AccountStore store, Cluster cluster, Duration ttl, LongSupplier clock) {
    this.store = store;
    this.cluster = cluster;
    this.ttlNanos = ttl == null ? Long.MAX_VALUE : ttl.toNanos();
    this.clock = clock;
    cluster.onAccountChanged(accountId -> {
      if (accountId == null) {
        byId.clear();
        loadedAt.clear();
      } else {
        byId.remove(accountId);
        loadedAt.remove(accountId);
      }
    });
  }

  public Optional<Account> find(String accountId) {
    Account cached = byId.get(accountId);
    if (cached != null && fresh(accountId)) {
      return Optional.of(cached);
    }
    if (cached != null) {
      byId.remove(accountId, cached);
    }
    long readAt = clock.getAsLong();
    Optional<Account> loaded = store.findById(accountId);
    // putIfAbsent: a registration that committed while we were loading has already put the newer value.
    return loaded.map(a -> {
      if (ttlNanos != Long.MAX_VALUE) {
        loadedAt.put(a.accountId(), readAt); // only accounts that exist: unknown ids leave nothing behind
      }
      Account raced = byId.putIfAbsent(a.accountId(), a);
      return raced != null ? raced : a;
    });
  }

  private boolean fresh(String accountId) {
    if (ttlNanos == Long.MAX_VALUE) {
      return true;
    }
    Long at = loadedAt.get(accountId);
    // Put by a change on this server rather than read: read once more, which starts its clock.
    return at != null && clock.getAsLong() - at < ttlNanos;
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
    cluster.accountChanged(registration.account().accountId());
    return registration;
  }

  /** Adds a linked device (see {@link AccountStore#addDevice}); the cache gets the new device list. */
  public Optional<Account> addDevice(String accountId, Device withoutId, int maxDevices) {
    Optional<Account> updated = store.addDevice(accountId, withoutId, maxDevices);
    updated.ifPresent(a -> {
      byId.put(a.accountId(), a);
      cluster.accountChanged(a.accountId());
    });
    return updated;
  }

  /**
   * Removes a device. The cache forgets it in the same step, so its credentials stop working at once (every
   * authentication reads the device list from here).
   */
  public Optional<Device> removeDevice(DeviceAddress address) {
    Optional<Device> removed = device(address);
    if (removed.isEmpty() || !store.removeDevice(address)) {
      return Optional.empty();
    }
    byId.computeIfPresent(address.accountId(), (id, account) -> new Account(id, account.number(), account.created(),
        account.devices().stream().filter(d -> d.deviceId() != address.deviceId()).toList()));
    cluster.accountChanged(address.accountId());
    return removed;
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
