package org.parley.server.presence;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.protocol.PresenceEvent;
import org.parley.protocol.Route;
import org.parley.server.accounts.AccountsService;
import org.parley.server.cluster.Cluster;
import org.parley.server.connections.ClientConnection;
import org.parley.server.storage.Device;
import org.parley.server.storage.DeviceAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which devices are connected, when each account was last seen, and who wants to hear about changes. An account is
 * online while at least one of its devices is connected, to this server or (through the {@link Cluster}) another.
 */
public final class PresenceService {

  private static final Logger log = LoggerFactory.getLogger(PresenceService.class);

  private final AccountsService accounts;
  private final Clock clock;
  private final Cluster cluster;
  private final Map<String, Set<Integer>> onlineDevices = new ConcurrentHashMap<>();
  private final Map<String, Set<ClientConnection>> subscribers = new ConcurrentHashMap<>();
  private final Map<ClientConnection, Set<String>> subscriptions = new ConcurrentHashMap<>();

  public PresenceService(AccountsService accounts, Clock clock, Cluster cluster) {
    this.accounts = accounts;
    this.clock = clock;
    this.cluster = cluster;
    cluster.onPresenceChanged(this::publish);
  }

  public void connected(DeviceAddress device) {
    boolean first;
    synchronized (this) {
      Set<Integer> devices = onlineDevices.computeIfAbsent(device.accountId(), k -> ConcurrentHashMap.newKeySet());
      first = devices.isEmpty();
      devices.add(device.deviceId());
    }
    if (first) {
      long now = clock.millis();
      cluster.anyConnected(() -> devices(device.accountId(), device)).thenAccept(elsewhere -> {
        if (!elsewhere) {
          announce(device.accountId(), true, now);
        }
      });
    }
  }

  public void disconnected(DeviceAddress device) {
    long now = clock.millis();
    try {
      accounts.updateLastSeen(device, now);
    } catch (RuntimeException e) {
      // The database is away (restarting): "last seen" stays older, and the device still goes offline below.
      log.warn("could not record when {} was last seen: {}", device, e.getMessage());
    }
    boolean last;
    synchronized (this) {
      Set<Integer> devices = onlineDevices.get(device.accountId());
      last = devices != null && devices.remove(device.deviceId()) && devices.isEmpty();
      if (last) {
        onlineDevices.remove(device.accountId());
      }
    }
    if (last) {
      // This device's own record is gone unless it connected again elsewhere already.
      cluster.anyConnected(() -> devices(device.accountId(), null)).thenAccept(elsewhere -> {
        if (!elsewhere) {
          announce(device.accountId(), false, now);
        }
      });
    }
  }

  public PresenceEvent status(String accountId) {
    boolean online = onlineDevices.containsKey(accountId)
        || cluster.anyConnected(() -> devices(accountId, null)).join();
    long lastSeen = online ? clock.millis()
        : accounts.find(accountId).map(a -> a.devices().stream().mapToLong(Device::lastSeen).max().orElse(0))
            .orElse(0L);
    return PresenceEvent.newBuilder().setAccountId(accountId).setOnline(online).setLastSeen(lastSeen).build();
  }

  /** The connection gets a {@code PresenceEvent} whenever the account goes online or offline. */
  public void subscribe(ClientConnection subscriber, String accountId) {
    subscribers.computeIfAbsent(accountId, k -> ConcurrentHashMap.newKeySet()).add(subscriber);
    subscriptions.computeIfAbsent(subscriber, k -> ConcurrentHashMap.newKeySet()).add(accountId);
  }

  public void unsubscribeAll(ClientConnection subscriber) {
    Set<String> accountIds = subscriptions.remove(subscriber);
    if (accountIds != null) {
      for (String accountId : accountIds) {
        subscribers.computeIfPresent(accountId, (k, set) -> {
          set.remove(subscriber);
          return set.isEmpty() ? null : set;
        });
      }
    }
  }

  /** The account's devices, but {@code except}. */
  private List<DeviceAddress> devices(String accountId, DeviceAddress except) {
    return accounts.find(accountId).map(account -> account.devices().stream()
        .map(d -> new DeviceAddress(accountId, d.deviceId()))
        .filter(d -> !d.equals(except))
        .toList()).orElse(List.of());
  }

  private void announce(String accountId, boolean online, long lastSeen) {
    publish(accountId, online, lastSeen);
    cluster.presenceChanged(accountId, online, lastSeen);
  }

  private void publish(String accountId, boolean online, long lastSeen) {
    Set<ClientConnection> targets = subscribers.get(accountId);
    if (targets == null) {
      return;
    }
    byte[] event = PresenceEvent.newBuilder()
        .setAccountId(accountId).setOnline(online).setLastSeen(lastSeen).build().toByteArray();
    for (ClientConnection target : targets) {
      target.pushIfReady(Route.PRESENCE_CHANGED, event);
    }
  }
}
