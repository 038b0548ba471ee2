package org.parley.turn.stack;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/** Hands each datagram on a listening UDP socket to the packet handler. */
final class UdpListenerHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private final ClientPacketHandler handler;
  private InetSocketAddress local;
  private BatchingWriter writer;

  UdpListenerHandler(ClientPacketHandler handler) {
    super(DatagramPacket.class, true);
    this.handler = handler;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    if (local == null) {
      local = (InetSocketAddress) ctx.channel().localAddress();
      writer = new BatchingWriter(ctx.channel());
    }
    handler.onClientPacket(new UdpEndpoint(writer, packet.sender(), local), packet.content());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // ICMP errors and the like surface here on some platforms; a listening UDP socket keeps going.
  }
}
