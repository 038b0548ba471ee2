package org.parley.server.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The client's address, the one every per-address and per-network limit and every log line uses: the address a
 * trusted proxy's PROXY header names when the PROXY protocol is on, the TCP peer's otherwise.
 */
final class ClientAddress {

  /** Set by {@link ProxyProtocolGate} from the header; absent when the peer itself is the client. */
  static final AttributeKey<InetAddress> FROM_PROXY_HEADER = AttributeKey.valueOf("parley.client-address");

  private ClientAddress() {}

  /** The client's IP address, or null for a channel that is not IP (never on the clients' port). */
  static InetAddress of(Channel channel) {
    InetAddress announced = channel.attr(FROM_PROXY_HEADER).get();
    if (announced != null) {
      return announced;
    }
    return channel.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }

  /** {@link #of} as text, e.g. {@code 192.0.2.7} or {@code 2001:db8:0:0:0:0:0:1}. */
  static String text(Channel channel) {
    InetAddress address = of(channel);
    return address != null ? address.getHostAddress() : String.valueOf(channel.remoteAddress());
  }
}
