package org.parley.server.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.parley.server.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** HTTP/1.1 and WebSocket on one port; epoll where the platform has it, NIO otherwise; TLS when configured. */
public final class NettyServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NettyServer.class);
  /** REST bodies above this are refused with 413 before they reach a handler. */
  private static final int MAX_HTTP_BODY = 1 << 20;
  /** The handler that streams attachment uploads past the aggregator; removed when a connection becomes a WebSocket. */
  static final String UPLOADS = "attachment-uploads";
  /** The {@link RequestGuard}; removed when a connection becomes a WebSocket. */
  static final String GUARD = "request-guard";

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel serverChannel;

  public NettyServer(String host, int port, Optional<SslContext> ssl, ConnectionServices services)
      throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    boss = new MultiThreadIoEventLoopGroup(1, io);
    workers = new MultiThreadIoEventLoopGroup(io);
    ConnectionsPerAddress perAddress = new ConnectionsPerAddress(services.connectionLimits().maxPerAddress());
    RequestGuard.Budget bodies = new RequestGuard.Budget(RequestGuard.BODY_BUDGET);
    long requestTimeoutMillis = services.connectionLimits().requestTimeout().toMillis();
    ServerConfig.ProxyProtocol proxy = services.connectionLimits().proxyProtocol();
    ProxyProtocolGate.Refusals proxyRefusals = new ProxyProtocolGate.Refusals(services.metrics());
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(channelType)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (proxy.enabled()) {
              ch.pipeline()
                  .addLast("proxy-header", ProxyProtocolGate.decoder())
                  .addLast("proxy-gate", new ProxyProtocolGate(proxy.trustedProxies(),
                      proxy.headerTimeout().toMillis(), proxyRefusals));
            }
            ch.pipeline().addLast("per-address", perAddress);
            ssl.ifPresent(context -> ch.pipeline().addLast("tls", context.newHandler(ch.alloc())));
            ch.pipeline()
                .addLast("flush", new FlushConsolidationHandler(256, true))
                // Bodies arrive in pieces of up to 64 KiB (Netty's default is 8 KiB): fewer objects per byte of an
                // attachment upload; aggregated requests are unaffected.
                .addLast("http", new HttpServerCodec(new HttpDecoderConfig().setMaxChunkSize(64 * 1024)))
                // Before the upload handler, which takes upload bodies out of the pipeline: reads still count.
                .addLast("idle", new IdleStateHandler(services.idleSeconds(), 0, 0, TimeUnit.SECONDS))
                .addLast(UPLOADS, new AttachmentUploadHandler(services))
                .addLast(GUARD, new RequestGuard(requestTimeoutMillis, MAX_HTTP_BODY, bodies))
                .addLast("aggregator", new HttpObjectAggregator(MAX_HTTP_BODY))
                .addLast("handler", new HttpRequestHandler(services, ssl.isPresent()));
          }
        });
    serverChannel = bootstrap.bind(host, port).sync().channel();
    log.info("Listening on {}://{} ({})", ssl.isPresent() ? "https" : "http", serverChannel.localAddress(),
        epoll ? "epoll" : "nio");
    if (proxy.enabled()) {
      log.info("PROXY protocol on: connections only from {}, each starting with a PROXY header",
          proxy.trustedProxies());
    }
  }

  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Stops accepting connections; open ones stay until closed. */
  public void stopAccepting() {
    serverChannel.close().awaitUninterruptibly();
  }

  @Override
  public void close() {
    stopAccepting();
    workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
    boss.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
