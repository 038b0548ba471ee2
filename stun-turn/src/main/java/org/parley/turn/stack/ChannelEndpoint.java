package org.parley.turn.stack;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/** What UDP and TCP clients share: a Netty channel, its batching writer and the two addresses. */
abstract class ChannelEndpoint implements ClientEndpoint {
  final BatchingWriter writer;
  private final Channel channel;
  private final InetSocketAddress remote;
  private final InetSocketAddress local;

  ChannelEndpoint(BatchingWriter writer, InetSocketAddress remote, InetSocketAddress local) {
    this.writer = writer;
    this.channel = writer.channel();
    this.remote = remote;
    this.local = local;
  }

  @Override
  public final InetSocketAddress remote() {
    return remote;
  }

  @Override
  public final InetSocketAddress local() {
    return local;
  }

  @Override
  public final EventLoop eventLoop() {
    return channel.eventLoop();
  }

  @Override
  public final ByteBufAllocator alloc() {
    return channel.alloc();
  }

  final Channel channel() {
    return channel;
  }
}
