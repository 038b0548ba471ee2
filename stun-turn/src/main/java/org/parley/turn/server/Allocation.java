package org.parley.turn.server;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.turn.message.TransactionId;
import org.parley.turn.stack.BatchingWriter;
import org.parley.turn.stack.ClientEndpoint;

/**
 * One TURN allocation (RFC 8656 section 2.2): the client's 5-tuple, the relay socket and its advertised address,
 * the owner's credentials, the lifetime, permissions (section 9) and channel bindings (section 12). Fields that
 * change are thread-safe: maps are concurrent, times volatile, channel changes synchronized.
 */
final class Allocation {
  final FiveTuple fiveTuple;
  final ClientEndpoint client;
  final String username;
  final byte[] key;
  final Channel relayChannel;
  final BatchingWriter relayWriter;
  final int relayPort;
  final InetSocketAddress relayedAddress;
  final BandwidthLimiter toPeerLimit;
  final BandwidthLimiter toClientLimit;
  final TransactionId allocateTransaction;
  volatile byte[] allocateResponse;
  volatile long expiresAtMillis;

  private final Map<InetAddress, Long> permissions = new ConcurrentHashMap<>();
  private final Map<Integer, ChannelBinding> channelsByNumber = new ConcurrentHashMap<>();
  private final Map<InetSocketAddress, ChannelBinding> channelsByPeer = new ConcurrentHashMap<>();

  /** A channel bound to a peer transport address. Its expiry is refreshed by a new ChannelBind. */
  static final class ChannelBinding {
    final int number;
    final InetSocketAddress peer;
    volatile long expiresAtMillis;

    ChannelBinding(int number, InetSocketAddress peer, long expiresAtMillis) {
      this.number = number;
      this.peer = peer;
      this.expiresAtMillis = expiresAtMillis;
    }
  }

  Allocation(FiveTuple fiveTuple, ClientEndpoint client, String username, byte[] key, Channel relayChannel,
      int relayPort, InetSocketAddress relayedAddress, long maxBps, TransactionId allocateTransaction,
      long expiresAtMillis) {
    this.fiveTuple = fiveTuple;
    this.client = client;
    this.username = username;
    this.key = key;
    this.relayChannel = relayChannel;
    this.relayWriter = new BatchingWriter(relayChannel);
    this.relayPort = relayPort;
    this.relayedAddress = relayedAddress;
    this.toPeerLimit = new BandwidthLimiter(maxBps);
    this.toClientLimit = new BandwidthLimiter(maxBps);
    this.allocateTransaction = allocateTransaction;
    this.expiresAtMillis = expiresAtMillis;
  }

  boolean hasPermission(InetAddress peer, long nowMillis) {
    Long expiry = permissions.get(peer);
    return expiry != null && expiry > nowMillis;
  }

  void permit(InetAddress peer, long expiresAtMillis) {
    permissions.put(peer, expiresAtMillis);
  }

  ChannelBinding channel(int number) {
    return channelsByNumber.get(number);
  }

  ChannelBinding channelFor(InetSocketAddress peer) {
    return channelsByPeer.get(peer);
  }

  /**
   * Binds or refreshes a channel (RFC 8656 section 11.2). False if the number is bound to another peer or the peer
   * to another number.
   */
  synchronized boolean bind(int number, InetSocketAddress peer, long expiresAtMillis) {
    ChannelBinding byNumber = channelsByNumber.get(number);
    ChannelBinding byPeer = channelsByPeer.get(peer);
    if (byNumber != null && !byNumber.peer.equals(peer)) {
      return false;
    }
    if (byPeer != null && byPeer.number != number) {
      return false;
    }
    if (byNumber != null) {
      byNumber.expiresAtMillis = expiresAtMillis;
    } else {
      ChannelBinding b = new ChannelBinding(number, peer, expiresAtMillis);
      channelsByNumber.put(number, b);
      channelsByPeer.put(peer, b);
    }
    return true;
  }

  /** Drops expired permissions and channel bindings. */
  synchronized void expireEntries(long nowMillis) {
    permissions.values().removeIf(expiry -> expiry <= nowMillis);
    channelsByNumber.values().removeIf(b -> {
      if (b.expiresAtMillis <= nowMillis) {
        channelsByPeer.remove(b.peer, b);
        return true;
      }
      return false;
    });
  }

  int permissionCount() {
    return permissions.size();
  }
}
