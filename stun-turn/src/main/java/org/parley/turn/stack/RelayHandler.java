package org.parley.turn.stack;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/** Reads one allocation's relay socket. */
final class RelayHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private final PeerPacketHandler handler;

  RelayHandler(PeerPacketHandler handler) {
    super(DatagramPacket.class, true);
    this.handler = handler;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    handler.onPeerPacket(packet.sender(), packet.content());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // ICMP port unreachable from a peer and the like: the relay socket stays open.
  }
}
