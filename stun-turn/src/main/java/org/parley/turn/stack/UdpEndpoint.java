package org.parley.turn.stack;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/** A UDP client: the listening socket that heard it and its source address. */
final class UdpEndpoint extends ChannelEndpoint {

  UdpEndpoint(BatchingWriter writer, InetSocketAddress remote, InetSocketAddress local) {
    super(writer, remote, local);
  }

  @Override
  public Transport transport() {
    return Transport.UDP;
  }

  @Override
  public void send(ByteBuf message) {
    writer.write(new DatagramPacket(message, remote()));
  }

  /** Nothing to close: the listening socket serves every UDP client. */
  @Override
  public void close() {}
}
