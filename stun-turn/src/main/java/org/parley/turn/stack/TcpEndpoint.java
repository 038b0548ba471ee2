package org.parley.turn.stack;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/** A TCP client connection. */
final class TcpEndpoint extends ChannelEndpoint {

  TcpEndpoint(Channel channel) {
    super(new BatchingWriter(channel), (InetSocketAddress) channel.remoteAddress(),
        (InetSocketAddress) channel.localAddress());
  }

  @Override
  public Transport transport() {
    return Transport.TCP;
  }

  @Override
  public void send(ByteBuf message) {
    writer.write(message);
  }

  @Override
  public void close() {
    channel().close();
  }
}
