package org.parley.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol.AddressFamily;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.parley.server.config.Cidr;
import org.parley.server.metrics.ServerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PROXY protocol in front of the clients' port (ADR 0170): a connection must come from a trusted proxy and
 * start with a v1 or v2 header, whole, within the header timeout; the header's source address then becomes the
 * connection's {@link ClientAddress}. Follows Netty's {@link HAProxyMessageDecoder}, which caps the header's size
 * and closes the connection on anything that is not a header. {@code channelActive} is held back until the header
 * has named the client, so the handlers after this one (the per-address cap first) count the client, not the proxy.
 * {@code PROXY UNKNOWN} and v2 {@code LOCAL} (the proxy's health checks) keep the proxy's own address.
 */
final class ProxyProtocolGate extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ProxyProtocolGate.class);
  /** v2 TLVs beyond the fixed part; HAProxy sends none unless told to (proxy-v2-options), AWS NLB a few dozen bytes. */
  static final int MAX_TLV_BYTES = 1024;

  private final List<Cidr> trusted;
  private final long timeoutMillis;
  private final Refusals refusals;
  private ScheduledFuture<?> deadline;
  /** Counted and logged once: the decoder may report every further line of what it has read. */
  private boolean refused;

  ProxyProtocolGate(List<Cidr> trusted, long timeoutMillis, Refusals refusals) {
    this.trusted = trusted;
    this.timeoutMillis = timeoutMillis;
    this.refusals = refusals;
  }

  /**
   * Counts refused connections and logs them, shared by every connection: at most one WARN line per reason every
   * 10 s (with how many were refused in between), so that a stranger opening connections cannot fill the disk with
   * log lines; the rest at DEBUG. The metric counts them all.
   */
  static final class Refusals {
    private static final long QUIET_MILLIS = 10_000;
    private final ServerMetrics metrics;
    private final ConcurrentHashMap<String, long[]> lastWarned = new ConcurrentHashMap<>();

    Refusals(ServerMetrics metrics) {
      this.metrics = metrics;
    }

    void refused(String reason, Object peer, String why) {
      metrics.proxyConnectionRefused(reason);
      long now = System.nanoTime() / 1_000_000;
      long[] state = lastWarned.computeIfAbsent(reason, r -> new long[] {now - QUIET_MILLIS, 0});
      long suppressed;
      synchronized (state) {
        if (now - state[0] < QUIET_MILLIS) {
          state[1]++;
          log.debug("closing connection from {}: {}", peer, why);
          return;
        }
        state[0] = now;
        suppressed = state[1];
        state[1] = 0;
      }
      log.warn("closing connection from {}: {}{}", peer, why,
          suppressed == 0 ? "" : " (and " + suppressed + " more like it in the last seconds, logged at DEBUG)");
    }
  }

  /** The decoder to put right before this gate. */
  static HAProxyMessageDecoder decoder() {
    return new HAProxyMessageDecoder(MAX_TLV_BYTES);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetAddress peer = ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    if (peer == null || trusted.stream().noneMatch(range -> range.contains(peer))) {
      refuse(ctx, "untrusted", "it does not come from a trusted proxy (server.trusted-proxies)");
      return;
    }
    deadline = ctx.executor().schedule(
        () -> refuse(ctx, "timeout", "no whole PROXY header within " + timeoutMillis + " ms"),
        timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HAProxyMessage header)) {
      // The bytes after the header: the decoder hands them on when it leaves the pipeline.
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (deadline != null) {
        deadline.cancel(false);
      }
      InetAddress client = sourceOf(header);
      if (client != null) {
        ctx.channel().attr(ClientAddress.FROM_PROXY_HEADER).set(client);
      }
      ctx.pipeline().remove(this);
      ctx.fireChannelActive();
    } finally {
      header.release();
    }
  }

  /** The client the header names; null for UNKNOWN, LOCAL (health checks) and Unix sockets. */
  private static InetAddress sourceOf(HAProxyMessage header) {
    AddressFamily family = header.proxiedProtocol().addressFamily();
    if ((family != AddressFamily.AF_IPv4 && family != AddressFamily.AF_IPv6) || header.sourceAddress() == null) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(header.sourceAddress());
    try {
      return bytes == null ? null : InetAddress.getByAddress(bytes);
    } catch (UnknownHostException cannot) {
      return null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof HAProxyProtocolException) {
      // The decoder has closed the connection already.
      count(ctx, "invalid", "no valid PROXY header (" + cause.getMessage() + ")");
      ctx.close();
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // Closed before its header: the handlers after this one never saw it active, so they hold nothing for it.
    if (deadline != null) {
      deadline.cancel(false);
    }
  }

  private void refuse(ChannelHandlerContext ctx, String reason, String why) {
    if (ctx.channel().isOpen()) {
      count(ctx, reason, why);
      ctx.close();
    }
  }

  private void count(ChannelHandlerContext ctx, String reason, String why) {
    if (refused) {
      return;
    }
    refused = true;
    refusals.refused(reason, ctx.channel().remoteAddress(), why);
  }
}
