package org.parley.server.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.QueuedMessage;

/**
 * What this server tells the other servers of a cluster, and hears from them (ADR 0151): which server holds which
 * device's connection, wake-ups for messages stored for a device connected elsewhere, and ephemeral messages routed
 * to the server that holds the device. {@link SingleNode} (the default) has no others; {@link RedisCluster} reaches
 * them through Redis. Nothing durable goes through here: messages are in the shared database before anyone is told.
 */
public interface Cluster extends AutoCloseable {

  /** What the other servers ask of this one; implemented by the delivery service. */
  interface LocalDevices {

    /** Message {@code messageId} was stored for {@code device} by another server: read its queue now. */
    void wake(DeviceAddress device, long messageId);

    /** Pushes an ephemeral envelope to the device if connected here; whether it was sent. */
    boolean pushEphemeral(DeviceAddress device, byte[] envelope);

    /** Another server took {@code device}'s connection over: close the one here if it is still {@code claim}'s. */
    void replaced(DeviceAddress device, String claim);

    /**
     * Closes this server's connections of {@code accountId} (only device {@code deviceId} if positive), e.g. when
     * their credentials were revoked on another server.
     */
    void close(String accountId, int deviceId, int code, String reason);

    /** The others could not be heard for a while: read every connected device's queue again. */
    void rescanAll();

    /** Each device connected here and the claim its connection holds. */
    Map<DeviceAddress, String> claims();
  }

  /** Hears from the other servers that an account went online or offline there. */
  interface PresenceListener {
    void changed(String accountId, boolean online, long lastSeen);
  }

  /** The provisioning sockets open on this server, as the other servers reach them. */
  interface ProvisioningSockets {
    /** Relays a provisioning message to the socket at {@code address} if it is open here; whether it was sent. */
    boolean deliver(String address, byte[] body);
  }

  /** Hears that accounts changed on another server (devices, credentials), so copies cached here are stale. */
  interface AccountListener {
    /** {@code accountId} changed; null: any may have (this server could not hear the others for a while). */
    void changed(String accountId);
  }

  /** Starts listening to the other servers on behalf of {@code devices}. */
  void start(LocalDevices devices);

  /** A name for a new connection's hold on its device, unique across the cluster. */
  String newClaim();

  /**
   * Records that this server now holds {@code device}'s connection (under {@code claim}) and tells the server that
   * held it before. Completes once recorded, or when the cluster cannot be reached (then the device's messages still
   * arrive by polling); never exceptionally.
   */
  CompletableFuture<Void> claim(DeviceAddress device, String claim);

  /** The connection under {@code claim} closed; forgets it unless a newer one holds the device. */
  void release(DeviceAddress device, String claim);

  /** Messages just became durable; wakes the servers that hold their devices, except this one. */
  void stored(List<QueuedMessage> messages);

  /**
   * Sends an ephemeral envelope to the server that holds {@code device}, if another does; completes with whether one
   * took it (never exceptionally).
   */
  CompletableFuture<Boolean> pushEphemeral(DeviceAddress device, byte[] envelope);

  /**
   * Whether any of the devices {@code devices} lists (asked only in a cluster) holds a connection recorded on some
   * server, this one included; false alone, or when the cluster cannot be reached (never exceptionally).
   */
  CompletableFuture<Boolean> anyConnected(Supplier<List<DeviceAddress>> devices);

  /** Tells the other servers that an account went online or offline here, for their presence subscribers. */
  void presenceChanged(String accountId, boolean online, long lastSeen);

  /** Who hears the other servers' presence changes. */
  void onPresenceChanged(PresenceListener listener);

  /** Tells the other servers that an account's devices or credentials changed here. */
  void accountChanged(String accountId);

  /** Who hears the other servers' account changes. */
  void onAccountChanged(AccountListener listener);

  /** Who takes the provisioning messages other servers relay to sockets open here. */
  void onProvisioning(ProvisioningSockets sockets);

  /** A provisioning socket opened here at {@code address}; other servers may relay to it for {@code lifetime}. */
  void provisioningOpened(String address, Duration lifetime);

  /** The socket at {@code address} closed or took its message: no other server relays to it any more. */
  void provisioningClosed(String address);

  /**
   * Relays a provisioning message to the server whose socket is at {@code address}, taking the address out of the
   * cluster's view (single use); completes with whether a server took it (never exceptionally).
   */
  CompletableFuture<Boolean> deliverProvisioning(String address, byte[] body);

  /** Tells every other server to close its connections of the account (one device if positive). */
  void closeConnections(String accountId, int deviceId, int code, String reason);

  @Override
  void close();
}
