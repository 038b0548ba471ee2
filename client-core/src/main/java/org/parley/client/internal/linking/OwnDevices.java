package org.parley.client.internal.linking;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import org.parley.client.api.ParleyException;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.store.AccountTable;
import org.parley.protocol.DeviceInfo;
import org.parley.protocol.DeviceList;
import org.parley.protocol.Envelope;
import org.parley.protocol.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other devices of our account, which get sync copies of what we send and read. Asked of the server on each
 * connection, after linking or unlinking, when a device of ours we did not know writes, and before the outbox sends
 * the first sync copy of a process.
 */
public final class OwnDevices {

  private static final Logger log = LoggerFactory.getLogger(OwnDevices.class);
  /**
   * What {@link #syncTargets} answers while the list is not known yet: "there may be other devices", so a sync copy
   * is queued; the outbox asks the server before it goes out, and drops it when there are none.
   */
  private static final Set<Integer> UNKNOWN = Set.of(0);

  private final AccountService accounts;
  private final RestClient rest;
  private final Executor background;
  private volatile Set<Integer> others = Set.of();
  /** Whether {@link #others} has been asked of the server since this client opened. */
  private volatile boolean loaded;

  /** {@code background}: where refreshes noticed on the WebSocket's thread run. */
  public OwnDevices(AccountService accounts, RestClient rest, Executor background) {
    this.accounts = accounts;
    this.rest = rest;
    this.background = background;
  }

  /** Asks the server for our account's other devices. */
  public void refresh() throws ParleyException, ApiFailure {
    AccountTable.Row row = accounts.registered();
    DeviceList devices = rest.call(Route.LIST_DEVICES, null, DeviceList.getDefaultInstance(), true,
        row.accountId());
    Set<Integer> found = new TreeSet<>();
    for (DeviceInfo device : devices.getDevicesList()) {
      if (device.getDeviceId() != row.deviceId()) {
        found.add(device.getDeviceId());
      }
    }
    set(Set.copyOf(found));
  }

  /** Our other devices as linking or unlinking just learned them. */
  void set(Set<Integer> otherDevices) {
    others = otherDevices;
    loaded = true;
  }

  /** For the outbox (its own thread, connected): our other devices, asked of the server first if not known yet. */
  public Set<Integer> forSending() {
    if (!loaded) {
      try {
        refresh();
      } catch (ParleyException | ApiFailure | RuntimeException e) {
        log.debug("listing our devices: {}", e.getMessage());
      }
    }
    return others;
  }

  /** Whether to queue sync copies when writing a message: our other devices, or "maybe some" while not known. */
  public Set<Integer> syncTargets() {
    return loaded ? others : UNKNOWN;
  }

  /** A message from a device of ours we did not know of (newly linked): refresh the list in the background. */
  public void noticeSender(Envelope envelope) {
    boolean unknownDeviceOfOurs = accounts.current()
        .filter(row -> envelope.getSourceAccount().equals(row.accountId()))
        .filter(row -> envelope.getSourceDevice() != row.deviceId())
        .isPresent() && !others.contains(envelope.getSourceDevice());
    if (unknownDeviceOfOurs) {
      background.execute(() -> {
        try {
          refresh();
        } catch (ParleyException | ApiFailure | RuntimeException e) {
          log.debug("listing our devices: {}", e.getMessage());
        }
      });
    }
  }
}
