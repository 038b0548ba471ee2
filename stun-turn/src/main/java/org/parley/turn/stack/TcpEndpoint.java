package org.parley.turn.stack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/** A TCP client connection. */
final class TcpEndpoint implements ClientEndpoint {
  private final Channel channel;
  private final BatchingWriter writer;
  private final InetSocketAddress remote;
  private final InetSocketAddress local;

  TcpEndpoint(Channel channel) {
    this.channel = channel;
    this.writer = new BatchingWriter(channel);
    this.remote = (InetSocketAddress) channel.remoteAddress();
    this.local = (InetSocketAddress) channel.localAddress();
  }

  @Override
  public Transport transport() {
    return Transport.TCP;
  }

  @Override
  public InetSocketAddress remote() {
    return remote;
  }

  @Override
  public InetSocketAddress local() {
    return local;
  }

  @Override
  public EventLoop eventLoop() {
    return channel.eventLoop();
  }

  @Override
  public ByteBufAllocator alloc() {
    return channel.alloc();
  }

  @Override
  public void send(ByteBuf message) {
    writer.write(message);
  }

  @Override
  public void close() {
    channel.close();
  }
}
