package org.parley.server.linking;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.server.api.ApiException;
import org.parley.server.ratelimit.RateLimiter;

/**
 * One-time provisioning addresses: each belongs to one open, unauthenticated provisioning socket and is gone when
 * that socket closes or has received its one message.
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

  /** {@code perIp} limits how many provisioning sockets one address may open (they need no credentials). */
  public ProvisioningService(RateLimiter perIp) {
    this.perIp = perIp;
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
        return address;
      }
    }
  }

  public void closed(String address, Channel channel) {
    channels.remove(address, channel);
  }

  /** Relays {@code body} to the socket at {@code address}; false when no such socket is open (any more). */
  public boolean deliver(String address, byte[] body) {
    Channel channel = channels.remove(address);
    if (channel == null) {
      return false;
    }
    return channel.deliverAndClose(body);
  }

  public int openCount() {
    return channels.size();
  }
}
