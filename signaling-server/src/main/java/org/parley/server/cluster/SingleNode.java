package org.parley.server.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.QueuedMessage;

/** One server alone (no {@code cluster.redis-url}): every device it knows of is connected here or nowhere. */
public final class SingleNode implements Cluster {

  private final AtomicLong claims = new AtomicLong();

  @Override
  public void start(LocalDevices devices) {}

  @Override
  public String newClaim() {
    return Long.toString(claims.incrementAndGet());
  }

  @Override
  public CompletableFuture<Void> claim(DeviceAddress device, String claim) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void release(DeviceAddress device, String claim) {}

  @Override
  public void stored(List<QueuedMessage> messages) {}

  @Override
  public CompletableFuture<Boolean> pushEphemeral(DeviceAddress device, byte[] envelope) {
    return CompletableFuture.completedFuture(false);
  }

  @Override
  public CompletableFuture<Boolean> anyConnected(Supplier<List<DeviceAddress>> devices) {
    return CompletableFuture.completedFuture(false);
  }

  @Override
  public void presenceChanged(String accountId, boolean online, long lastSeen) {}

  @Override
  public void onPresenceChanged(PresenceListener listener) {}

  @Override
  public void accountChanged(String accountId) {}

  @Override
  public void onAccountChanged(AccountListener listener) {}

  @Override
  public void onProvisioning(ProvisioningSockets sockets) {}

  @Override
  public void provisioningOpened(String address, Duration lifetime) {}

  @Override
  public void provisioningClosed(String address) {}

  @Override
  public CompletableFuture<Boolean> deliverProvisioning(String address, byte[] body) {
    return CompletableFuture.completedFuture(false);
  }

  @Override
  public void closeConnections(String accountId, int deviceId, int code, String reason) {}

  @Override
  public void close() {}
}
