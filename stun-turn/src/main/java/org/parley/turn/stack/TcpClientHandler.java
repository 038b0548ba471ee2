package org.parley.turn.stack;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * One per TCP connection: passes frames to the packet handler, reports the connection's end, and closes it when it
 * has been idle without an allocation.
 */
final class TcpClientHandler extends ChannelInboundHandlerAdapter {
  private final ClientPacketHandler handler;
  private TcpEndpoint endpoint;

  TcpClientHandler(ClientPacketHandler handler) {
    this.handler = handler;
  }

  TcpEndpoint endpoint(ChannelHandlerContext ctx) {
    if (endpoint == null) {
      endpoint = new TcpEndpoint(ctx.channel());
    }
    return endpoint;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    endpoint(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      handler.onClientPacket(endpoint(ctx), frame);
    } finally {
      frame.release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    handler.onClientClosed(endpoint(ctx));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      // A live allocation keeps its connection open; once it is gone, the next idle spell closes the connection.
      if (!handler.holdsAllocation(endpoint(ctx))) {
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
