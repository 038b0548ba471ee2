package org.parley.turn.stack;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.parley.turn.api.TurnServerConfig;

/**
 * The sockets: UDP and TCP listeners and the per-allocation UDP relay sockets, on one Netty event-loop group (see
 * docs/decisions/0101-stun-turn-io.md). With epoll, every loop gets its own UDP listening socket on the same port
 * (SO_REUSEPORT), the kernel spreads clients over them by address hash, and each allocation's relay socket is
 * registered on its client's loop: a client's packets in both directions stay on one thread.
 */
public final class NetworkStack implements AutoCloseable {
  /**
   * With epoll, up to 16 datagrams of at most this size are read per recvmmsg call; larger datagrams are cut and
   * then dropped as malformed. STUN and TURN over UDP stay below the path MTU (RFC 8489 section 6.1), so 4 KiB is
   * ample. Without epoll one datagram of up to 64 KiB is read at a time.
   */
  private static final int MAX_DATAGRAM = 4096;
  private static final int READ_BUFFER = 65536;

  private final EventLoopGroup group;
  private final boolean epoll;
  private final List<Channel> listeners = new ArrayList<>();
  private final List<InetSocketAddress> udpAddresses = new ArrayList<>();
  private final List<InetSocketAddress> tcpAddresses = new ArrayList<>();
  private final TcpConnectionGate tcpGate;
  private final long tcpIdleMillis;

  private NetworkStack(EventLoopGroup group, boolean epoll, TurnServerConfig.TcpLimits tcpLimits) {
    this.group = group;
    this.epoll = epoll;
    this.tcpGate = new TcpConnectionGate(tcpLimits.maxConnections(), tcpLimits.maxPerIp());
    this.tcpIdleMillis = tcpLimits.idleWithoutAllocation().toMillis();
  }

  /**
   * Binds the listeners. With port 0 the UDP socket picks a free port and TCP takes the same number (tried a few
   * times should TCP find it taken).
   */
  public static NetworkStack start(List<InetAddress> ips, int port, boolean udp, boolean tcp, int threads,
      boolean preferEpoll, TurnServerConfig.TcpLimits tcpLimits, ClientPacketHandler handler) throws IOException {
    boolean epoll = preferEpoll && Epoll.isAvailable();
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    NetworkStack stack = new NetworkStack(new MultiThreadIoEventLoopGroup(n, factory), epoll, tcpLimits);
    try {
      IOException last = null;
      for (int attempt = 0; attempt < (port == 0 ? 8 : 1); attempt++) {
        try {
          stack.bindAll(ips, port, udp, tcp, n, handler);
          return stack;
        } catch (IOException e) {
          last = e;
          stack.closeListeners();
        }
      }
      throw last;
    } catch (IOException | RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private void bindAll(List<InetAddress> ips, int port, boolean udp, boolean tcp, int threads,
      ClientPacketHandler handler) throws IOException {
    int chosen = port;
    for (InetAddress ip : ips) {
      if (udp) {
        int sockets = epoll ? threads : 1;
        for (int i = 0; i < sockets; i++) {
          Channel ch = bindUdp(new InetSocketAddress(ip, chosen), handler);
          listeners.add(ch);
          if (i == 0) {
            InetSocketAddress a = (InetSocketAddress) ch.localAddress();
            udpAddresses.add(a);
            chosen = a.getPort();
          }
        }
      }
      if (tcp) {
        Channel ch = bindTcp(new InetSocketAddress(ip, chosen), handler);
        listeners.add(ch);
        InetSocketAddress a = (InetSocketAddress) ch.localAddress();
        tcpAddresses.add(a);
        chosen = a.getPort();
      }
    }
  }

  private Channel bindUdp(InetSocketAddress address, ClientPacketHandler handler) throws IOException {
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
        .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
        .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_BUFFER))
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline().addLast(new UdpListenerHandler(handler));
          }
        });
    if (epoll) {
      b.option(EpollChannelOption.SO_REUSEPORT, true);
      b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM);
    }
    return await(b.bind(address), "UDP " + address);
  }

  private Channel bindTcp(InetSocketAddress address, ClientPacketHandler handler) throws IOException {
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            TcpClientHandler client = new TcpClientHandler(handler);
            ch.pipeline().addLast(tcpGate);
            ch.pipeline().addLast(new IdleStateHandler(0, 0, tcpIdleMillis, TimeUnit.MILLISECONDS));
            ch.pipeline().addLast(new TcpFrameDecoder(() -> handler.onUnframeable(client.endpoint(
                ch.pipeline().context(client)))));
            ch.pipeline().addLast(client);
          }
        });
    if (epoll) {
      b.option(EpollChannelOption.SO_REUSEADDR, true);
    }
    return await(b.bind(address), "TCP " + address);
  }

  private static Channel await(ChannelFuture f, String what) throws IOException {
    f.awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new IOException("cannot bind " + what + ": " + f.cause().getMessage(), f.cause());
    }
    return f.channel();
  }

  /**
   * Binds a relay socket on {@code loop} (asynchronously: the caller is usually that loop). The future completes
   * on the loop.
   */
  public ChannelFuture bindRelay(EventLoop loop, InetSocketAddress address, PeerPacketHandler handler) {
    Bootstrap b = new Bootstrap()
        .group(loop)
        .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, 1024 * 1024)
        .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_BUFFER))
        .handler(new RelayHandler(handler));
    if (epoll) {
      b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM);
    }
    return b.bind(address);
  }

  public EventLoopGroup group() {
    return group;
  }

  public boolean usesEpoll() {
    return epoll;
  }

  public List<InetSocketAddress> udpAddresses() {
    return List.copyOf(udpAddresses);
  }

  public List<InetSocketAddress> tcpAddresses() {
    return List.copyOf(tcpAddresses);
  }

  /** Stops accepting packets and connections. */
  public void closeListeners() {
    for (Channel c : listeners) {
      c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    listeners.clear();
    udpAddresses.clear();
    tcpAddresses.clear();
  }

  @Override
  public void close() {
    closeListeners();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
