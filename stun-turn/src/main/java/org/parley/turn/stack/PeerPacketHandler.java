package org.parley.turn.stack;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/** Receives datagrams arriving at one allocation's relay socket. Called on that socket's event loop. */
@FunctionalInterface
public interface PeerPacketHandler {
  /** The caller releases {@code data}. */
  void onPeerPacket(InetSocketAddress peer, ByteBuf data);
}
