package org.parley.server.linking;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.server.api.ApiException;
import org.parley.server.cluster.Cluster;
import org.parley.server.ratelimit.RateLimiter;

/**
 * One-time provisioning addresses: each belongs to one open, unauthenticated provisioning socket and is gone when
 * that socket closes or has received its one message. In a cluster the other servers learn each address, so the
 * phone's provisioning message may reach any server and is relayed to the one holding the socket (ADR 0151).
 */
public final class ProvisioningService {

  /** The provisioning socket, as this service sees it. */
  public interface Channel {
    /**
     * Sends the (opaque, end-to-end encrypted) provisioning message, then closes the socket; false when the socket
     * is already closed or closing.
     */
    boolean deliverAndClose(byte[] body);
  }

  private final Map<String, Channel> channels = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final RateLimiter perIp;
  private final Cluster cluster;
  private final Duration lifetime;

  /**
   * @param perIp limits how many provisioning sockets one address may open (they need no credentials)
   * @param lifetime how long a socket stays open waiting for its message
   */
  public ProvisioningService(RateLimiter perIp, Cluster cluster, Duration lifetime) {
    this.perIp = perIp;
    this.cluster = cluster;
    this.lifetime = lifetime;
    cluster.onProvisioning(this::deliverHere);
  }

  /** Before the upgrade: 429 when {@code remoteAddress} opened too many provisioning sockets lately. */
  public void admit(String remoteAddress) throws ApiException {
    perIp.check(remoteAddress);
  }

  /** A new random address for {@code channel}. */
  public String open(Channel channel) {
    byte[] bytes = new byte[16];
    while (true) {
      random.nextBytes(bytes);
      String address = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      if (channels.putIfAbsent(address, channel) == null) {
        cluster.provisioningOpened(address, lifetime);
        return address;
      }
    }
  }

  public void closed(String address, Channel channel) {
    if (channels.remove(address, channel)) {
      cluster.provisioningClosed(address);
    }
  }

  /**
   * Relays {@code body} to the socket at {@code address}, here or on another server of the cluster; completes with
   * false when no such socket is open (any more).
   */
  public CompletableFuture<Boolean> deliver(String address, byte[] body) {
    if (channels.containsKey(address)) {
      return CompletableFuture.completedFuture(deliverHere(address, body));
    }
    return cluster.deliverProvisioning(address, body);
  }

  private boolean deliverHere(String address, byte[] body) {
    Channel channel = channels.remove(address);
    if (channel == null) {
      return false;
    }
    cluster.provisioningClosed(address);
    return channel.deliverAndClose(body);
  }

  public int openCount() {
    return channels.size();
  }
}
