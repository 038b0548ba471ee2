package org.parley.turn.stack;

import io.netty.buffer.ByteBuf;

/** What the listeners hand packets to. Called on the endpoint's event loop; must not block. */
public interface ClientPacketHandler {
  /** One UDP datagram or one TCP frame (a whole STUN or ChannelData message). The caller releases {@code packet}. */
  void onClientPacket(ClientEndpoint from, ByteBuf packet);

  /** Whether this client holds an allocation (or one is being made); an idle TCP connection without one is closed. */
  boolean holdsAllocation(ClientEndpoint endpoint);

  /** A TCP connection ended. */
  void onClientClosed(ClientEndpoint endpoint);

  /** Bytes that could not be framed (TCP) and the connection was closed. */
  void onUnframeable(ClientEndpoint endpoint);
}
