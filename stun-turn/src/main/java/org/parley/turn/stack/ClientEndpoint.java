package org.parley.turn.stack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/** Where a client's packet came from and how to answer it: a UDP source address, or a TCP connection. */
public interface ClientEndpoint {
  Transport transport();

  InetSocketAddress remote();

  InetSocketAddress local();

  /** The event loop that reads this client; its relay socket is registered on the same loop. */
  EventLoop eventLoop();

  ByteBufAllocator alloc();

  /** Sends one STUN or ChannelData message; takes ownership of {@code message}. */
  void send(ByteBuf message);

  default void send(byte[] message) {
    send(Unpooled.wrappedBuffer(message));
  }

  /** Closes a TCP connection; nothing for UDP. */
  void close();
}
