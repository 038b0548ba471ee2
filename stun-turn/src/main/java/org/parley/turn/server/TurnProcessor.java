package org.parley.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.turn.attribute.AttributeType;
import org.parley.turn.attribute.ChannelNumber;
import org.parley.turn.attribute.ErrorCode;
import org.parley.turn.attribute.Lifetime;
import org.parley.turn.attribute.StunAttribute;
import org.parley.turn.attribute.UnknownAttribute;
import org.parley.turn.attribute.UnknownAttributes;
import org.parley.turn.attribute.XorMappedAddress;
import org.parley.turn.attribute.XorPeerAddress;
import org.parley.turn.message.MessageClass;
import org.parley.turn.message.Method;
import org.parley.turn.message.StunDecoder;
import org.parley.turn.message.StunMessage;
import org.parley.turn.message.StunParseException;
import org.parley.turn.server.TurnMetrics.Drop;
import org.parley.turn.stack.ClientEndpoint;
import org.parley.turn.stack.ClientPacketHandler;
import org.parley.turn.stack.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a client sends arrives here: ChannelData goes to the {@link DataRelay}; STUN messages are decoded,
 * checked (FINGERPRINT, unknown comprehension-required attributes → 420), authenticated and dispatched by method.
 * Binding (RFC 8489) needs no credentials; every TURN method does (RFC 8656 section 5).
 */
final class TurnProcessor implements ClientPacketHandler {
  private static final Logger LOG = LoggerFactory.getLogger(TurnProcessor.class);
  private final Settings settings;
  private final AllocationTable table;
  private final Allocator allocator;
  private final DataRelay relay;
  private final LongTermAuth auth;
  private final PeerAddressPolicy peerPolicy;
  private final Responses responses;
  private final TurnMetrics metrics;

  TurnProcessor(Settings settings, AllocationTable table, Allocator allocator, DataRelay relay, LongTermAuth auth,
      PeerAddressPolicy peerPolicy, Responses responses, TurnMetrics metrics) {
    this.settings = settings;
    this.table = table;
    this.allocator = allocator;
    this.relay = relay;
    this.auth = auth;
    this.peerPolicy = peerPolicy;
    this.responses = responses;
    this.metrics = metrics;
  }

  private static FiveTuple tupleOf(ClientEndpoint from) {
    return new FiveTuple(from.transport(), from.remote(), from.local());
  }

  @Override
  public void onClientPacket(ClientEndpoint from, ByteBuf packet) {
    int readable = packet.readableBytes();
    if (readable < 4) {
      metrics.drop(Drop.MALFORMED);
      return;
    }
    int first = packet.getUnsignedByte(packet.readerIndex());
    if ((first & 0xC0) == 0x40) {
      relay.onChannelData(packet, tupleOf(from));
      return;
    }
    if ((first & 0xC0) != 0) {
      metrics.drop(Drop.NOT_STUN);
      return;
    }
    StunMessage message;
    try {
      message = StunDecoder.decode(ByteBufUtil.getBytes(packet));
    } catch (StunParseException e) {
      metrics.drop(Drop.MALFORMED);
      return;
    }
    if (message.has(AttributeType.FINGERPRINT) && !message.verifyFingerprint()) {
      metrics.drop(Drop.BAD_FINGERPRINT);
      return;
    }
    if (message.messageClass() == MessageClass.INDICATION) {
      onIndication(message, from);
    } else if (message.messageClass() == MessageClass.REQUEST) {
      onRequest(message, from);
    } else {
      metrics.drop(Drop.UNEXPECTED_CLASS);
    }
  }

  private void onIndication(StunMessage message, ClientEndpoint from) {
    if (!unknownRequired(message).isEmpty()) {
      metrics.drop(Drop.UNKNOWN_ATTRIBUTE_INDICATION);
      return;
    }
    if (message.method() == Method.SEND) {
      relay.onSend(message, tupleOf(from));
    } else {
      metrics.drop(Drop.UNEXPECTED_CLASS);
    }
  }

  private void onRequest(StunMessage req, ClientEndpoint from) {
    metrics.request(req.method());
    List<Integer> unknown = unknownRequired(req);
    if (!unknown.isEmpty()) {
      from.send(responses.error(req, ErrorCode.UNKNOWN_ATTRIBUTE, null, List.of(new UnknownAttributes(unknown))));
      return;
    }
    switch (req.method()) {
      case Method.BINDING:
        from.send(responses.success(req, null, List.of(new XorMappedAddress(from.remote()))));
        return;
      case Method.ALLOCATE:
      case Method.REFRESH:
      case Method.CREATE_PERMISSION:
      case Method.CHANNEL_BIND:
        break;
      default:
        from.send(responses.error(req, ErrorCode.BAD_REQUEST, null));
        return;
    }
    Optional<Responses.Credentials> credentials = auth.authenticate(req, from);
    if (credentials.isEmpty()) {
      return;
    }
    Responses.Credentials c = credentials.get();
    FiveTuple tuple = tupleOf(from);
    if (req.method() == Method.ALLOCATE) {
      allocator.allocate(req, from, tuple, c);
      return;
    }
    Allocation a = table.get(tuple);
    if (a == null) {
      from.send(responses.error(req, ErrorCode.ALLOCATION_MISMATCH, c));
      return;
    }
    if (!a.username.equals(c.username())) {
      from.send(responses.error(req, ErrorCode.WRONG_CREDENTIALS, c));
      return;
    }
    switch (req.method()) {
      case Method.REFRESH:
        refresh(req, from, a, c);
        break;
      case Method.CREATE_PERMISSION:
        createPermission(req, from, a, c);
        break;
      default:
        channelBind(req, from, a, c);
        break;
    }
  }

  /** RFC 8656 section 7.3. */
  private void refresh(StunMessage req, ClientEndpoint from, Allocation a, Responses.Credentials c) {
    long lifetime = settings.grantedLifetimeSeconds(req.get(Lifetime.class), true);
    if (lifetime == 0) {
      allocator.delete(a.fiveTuple);
    } else {
      a.expiresAtMillis = settings.clock().millis() + lifetime * 1000;
    }
    from.send(responses.success(req, c, List.of(new Lifetime(lifetime))));
  }

  /** RFC 8656 section 9.2: all peers must pass, or no permission is installed. */
  private void createPermission(StunMessage req, ClientEndpoint from, Allocation a, Responses.Credentials c) {
    List<XorPeerAddress> peers = req.getAll(XorPeerAddress.class);
    if (peers.isEmpty()) {
      from.send(responses.error(req, ErrorCode.BAD_REQUEST, c));
      return;
    }
    for (XorPeerAddress p : peers) {
      Integer refused = checkPeer(p.address());
      if (refused != null) {
        from.send(responses.error(req, refused, c));
        return;
      }
    }
    long expiry = settings.clock().millis() + settings.permissionLifetimeMillis();
    for (XorPeerAddress p : peers) {
      a.permit(p.address().getAddress(), expiry);
    }
    from.send(responses.success(req, c, List.of()));
  }

  /** RFC 8656 section 11.2. */
  private void channelBind(StunMessage req, ClientEndpoint from, Allocation a, Responses.Credentials c) {
    Optional<ChannelNumber> number = req.get(ChannelNumber.class);
    Optional<XorPeerAddress> peer = req.get(XorPeerAddress.class);
    if (number.isEmpty() || !number.get().isValid() || peer.isEmpty()) {
      LOG.debug("ChannelBind from {} refused: channel {} peer {}", from.remote(), number, peer);
      from.send(responses.error(req, ErrorCode.BAD_REQUEST, c));
      return;
    }
    InetSocketAddress to = peer.get().address();
    Integer refused = checkPeer(to);
    if (refused != null) {
      from.send(responses.error(req, refused, c));
      return;
    }
    long now = settings.clock().millis();
    if (!a.bind(number.get().number(), to, now + settings.channelLifetimeMillis())) {
      LOG.debug("ChannelBind from {} refused: channel {} or peer {} bound otherwise", from.remote(), number, to);
      from.send(responses.error(req, ErrorCode.BAD_REQUEST, c));
      return;
    }
    a.permit(to.getAddress(), now + settings.permissionLifetimeMillis());
    from.send(responses.success(req, c, List.of()));
  }

  /**
   * 403 if policy forbids the peer (checked first, so a forbidden address is refused as such in any form), 443 if
   * its family is not the relay's, else null.
   */
  private Integer checkPeer(InetSocketAddress peer) {
    if (!peerPolicy.permits(peer, table::isRelayPort)) {
      metrics.drop(Drop.PEER_FORBIDDEN);
      return ErrorCode.FORBIDDEN;
    }
    if (Allocator.familyOf(peer.getAddress()) != Allocator.familyOf(settings.relayIp())) {
      return ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH;
    }
    return null;
  }

  /** Comprehension-required attribute types this server does not model (RFC 8489 section 6.3.1). */
  private static List<Integer> unknownRequired(StunMessage m) {
    List<Integer> unknown = new ArrayList<>();
    for (StunAttribute a : m.attributes()) {
      if (a instanceof UnknownAttribute && StunAttribute.isComprehensionRequired(a.type())
          && !unknown.contains(a.type())) {
        unknown.add(a.type());
      }
    }
    return unknown;
  }

  @Override
  public boolean holdsAllocation(ClientEndpoint endpoint) {
    return table.holds(tupleOf(endpoint));
  }

  @Override
  public void onClientClosed(ClientEndpoint endpoint) {
    if (endpoint.transport() == Transport.TCP) {
      FiveTuple tuple = tupleOf(endpoint);
      allocator.delete(tuple);
      table.abandon(tuple); // an Allocate still binding will find its slot gone
    }
  }

  @Override
  public void onUnframeable(ClientEndpoint endpoint) {
    metrics.drop(Drop.MALFORMED);
  }
}
