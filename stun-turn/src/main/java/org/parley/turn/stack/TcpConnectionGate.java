package org.parley.turn.stack;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps open TCP client connections, in total and per client IP. Each holds a file descriptor of the process, and an
 * embedded TURN server shares those with the signaling server: 961 idle TURN/TCP connections once stopped its port
 * accepting (issue #17, finding 5). Connections over a cap are closed as they are accepted.
 */
@ChannelHandler.Sharable
final class TcpConnectionGate extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(TcpConnectionGate.class);

  private final int maxTotal;
  private final int maxPerIp;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();

  TcpConnectionGate(int maxTotal, int maxPerIp) {
    this.maxTotal = maxTotal;
    this.maxPerIp = maxPerIp;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    InetAddress ip = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    int all = total.incrementAndGet();
    int mine = perIp.computeIfAbsent(ip, k -> new AtomicInteger()).incrementAndGet();
    ctx.channel().closeFuture().addListener(closed -> {
      total.decrementAndGet();
      perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    });
    if ((maxTotal > 0 && all > maxTotal) || (maxPerIp > 0 && mine > maxPerIp)) {
      LOG.debug("refusing a TCP connection from {}: {} open from it, {} in all", ip, mine - 1, all - 1);
      ctx.close();
      return;
    }
    super.channelActive(ctx);
  }
}
