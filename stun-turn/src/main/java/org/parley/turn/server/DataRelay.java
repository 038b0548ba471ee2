package org.parley.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.parley.turn.attribute.Data;
import org.parley.turn.attribute.XorPeerAddress;
import org.parley.turn.message.MessageType;
import org.parley.turn.message.Method;
import org.parley.turn.message.StunEncoder;
import org.parley.turn.message.StunMessage;
import org.parley.turn.message.TransactionId;
import org.parley.turn.server.TurnMetrics.Drop;
import org.parley.turn.stack.ClientEndpoint;
import org.parley.turn.stack.Transport;

/**
 * The data path (RFC 8656 sections 10-12): Send indications and ChannelData from the client go out of the relay
 * socket to peers that have a permission; datagrams from permitted peers come back as ChannelData (if a channel is
 * bound to that peer) or as Data indications. Everything else is dropped and counted. The bandwidth cap applies
 * per allocation and direction.
 */
final class DataRelay {
  private final AllocationTable table;
  private final PeerAddressPolicy peerPolicy;
  private final TurnMetrics metrics;
  private final Clock clock;

  DataRelay(AllocationTable table, PeerAddressPolicy peerPolicy, TurnMetrics metrics, Clock clock) {
    this.table = table;
    this.peerPolicy = peerPolicy;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** A Send indication (RFC 8656 section 10.2). */
  void onSend(StunMessage indication, FiveTuple tuple) {
    Allocation a = table.get(tuple);
    if (a == null) {
      metrics.drop(Drop.NO_ALLOCATION);
      return;
    }
    Optional<XorPeerAddress> peer = indication.get(XorPeerAddress.class);
    Optional<Data> data = indication.get(Data.class);
    if (peer.isEmpty() || data.isEmpty()) {
      metrics.drop(Drop.MALFORMED);
      return;
    }
    InetSocketAddress to = peer.get().address();
    if (!a.hasPermission(to.getAddress(), clock.millis())) {
      metrics.drop(Drop.NO_PERMISSION);
      return;
    }
    forward(a, to, Unpooled.wrappedBuffer(data.get().bytes()));
  }

  /**
   * A ChannelData message from the client (RFC 8656 section 12.6). {@code packet} is not released here; the
   * forwarded slice is retained separately.
   */
  void onChannelData(ByteBuf packet, FiveTuple tuple) {
    int start = packet.readerIndex();
    int readable = packet.readableBytes();
    int channel = packet.getUnsignedShort(start);
    int length = packet.getUnsignedShort(start + 2);
    if (4 + length > readable) {
      metrics.drop(Drop.MALFORMED);
      return;
    }
    Allocation a = table.get(tuple);
    if (a == null) {
      metrics.drop(Drop.NO_ALLOCATION);
      return;
    }
    long now = clock.millis();
    Allocation.ChannelBinding binding = a.channel(channel);
    if (binding == null || binding.expiresAtMillis <= now) {
      metrics.drop(Drop.NO_CHANNEL);
      return;
    }
    if (!a.hasPermission(binding.peer.getAddress(), now)) {
      metrics.drop(Drop.NO_PERMISSION);
      return;
    }
    forward(a, binding.peer, packet.retainedSlice(start + 4, length));
  }

  private void forward(Allocation a, InetSocketAddress peer, ByteBuf payload) {
    // Permissions are per IP; a permission for the server's own IP covers only other allocations' relay ports.
    if (peerPolicy.isOwn(peer.getAddress()) && !table.isRelayPort(peer.getPort())) {
      payload.release();
      metrics.drop(Drop.PEER_FORBIDDEN);
      return;
    }
    int size = payload.readableBytes();
    if (!a.toPeerLimit.tryAcquire(size)) {
      payload.release();
      metrics.drop(Drop.BANDWIDTH);
      return;
    }
    a.relayWriter.write(new DatagramPacket(payload, peer));
    metrics.toPeer(size);
  }

  /** A datagram at the relay socket (RFC 8656 section 11.3 / 12.6). */
  void onPeerPacket(Allocation a, InetSocketAddress peer, ByteBuf data) {
    if (a == null) {
      metrics.drop(Drop.NO_ALLOCATION);
      return;
    }
    long now = clock.millis();
    if (!a.hasPermission(peer.getAddress(), now)) {
      metrics.drop(Drop.NO_PERMISSION);
      return;
    }
    int size = data.readableBytes();
    if (!a.toClientLimit.tryAcquire(size)) {
      metrics.drop(Drop.BANDWIDTH);
      return;
    }
    ClientEndpoint client = a.client;
    Allocation.ChannelBinding binding = a.channelFor(peer);
    if (binding != null && binding.expiresAtMillis > now && size <= 0xFFFF) {
      boolean pad = client.transport() == Transport.TCP;
      int padded = pad ? (size + 3) & ~3 : size;
      ByteBuf out = client.alloc().directBuffer(4 + padded);
      out.writeShort(binding.number).writeShort(size).writeBytes(data, data.readerIndex(), size);
      out.writeZero(padded - size);
      client.send(out);
    } else {
      byte[] bytes = new byte[size];
      data.getBytes(data.readerIndex(), bytes);
      StunMessage indication = StunMessage.builder(MessageType.indication(Method.DATA), TransactionId.random())
          .addAll(List.of(new XorPeerAddress(peer), new Data(bytes)))
          .build();
      client.send(StunEncoder.encode(indication));
    }
    metrics.toClient(size);
  }
}
