package org.parley.server.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.server.auth.NetworkKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the connections one client address holds open (issue #17, finding 2: 400 connections that each began a
 * request body took 434 MB). The first handler of every connection, so a refused one costs nothing more. IPv6
 * addresses count per /64, which one host usually owns whole.
 */
@ChannelHandler.Sharable
final class ConnectionsPerAddress extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ConnectionsPerAddress.class);

  private final int max;
  private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

  ConnectionsPerAddress(int max) {
    this.max = max;
  }

  private static String key(ChannelHandlerContext ctx) {
    InetAddress client = ClientAddress.of(ctx.channel());
    if (client == null) {
      return String.valueOf(ctx.channel().remoteAddress());
    }
    return client instanceof Inet6Address ? NetworkKey.of(client.getHostAddress()) : client.getHostAddress();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    String key = key(ctx);
    int now = open.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    ctx.channel().closeFuture().addListener(closed -> release(key));
    if (now > max) {
      log.debug("refusing a connection from {}: it holds {} (limit {})", key, now - 1, max);
      ctx.close();
      return;
    }
    super.channelActive(ctx);
  }

  private void release(String key) {
    open.computeIfPresent(key, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
  }

  /** Open connections of one address (for tests). */
  int openFrom(String address) {
    AtomicInteger count = open.get(address);
    return count == null ? 0 : count.get();
  }
}
