package org.parley.turn.stack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/** A UDP client: the listening socket that heard it and its source address. */
final class UdpEndpoint implements ClientEndpoint {
  private final Channel channel;
  private final BatchingWriter writer;
  private final InetSocketAddress remote;
  private final InetSocketAddress local;

  UdpEndpoint(BatchingWriter writer, InetSocketAddress remote, InetSocketAddress local) {
    this.writer = writer;
    this.channel = writer.channel();
    this.remote = remote;
    this.local = local;
  }

  @Override
  public Transport transport() {
    return Transport.UDP;
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
    writer.write(new DatagramPacket(message, remote));
  }

  @Override
  public void close() {}
}
