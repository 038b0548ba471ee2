package org.parley.turn.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.parley.turn.attribute.ErrorCode;
import org.parley.turn.attribute.EvenPort;
import org.parley.turn.attribute.Lifetime;
import org.parley.turn.attribute.RequestedAddressFamily;
import org.parley.turn.attribute.RequestedTransport;
import org.parley.turn.attribute.ReservationToken;
import org.parley.turn.attribute.StunAttribute;
import org.parley.turn.attribute.XorMappedAddress;
import org.parley.turn.attribute.XorRelayedAddress;
import org.parley.turn.message.StunMessage;
import org.parley.turn.stack.ClientEndpoint;
import org.parley.turn.stack.NetworkStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allocate (RFC 8656 section 7.2) and allocation deletion. The relay socket is bound asynchronously on the client's
 * event loop; the success response is sent when the bind completes, and cached so a retransmitted Allocate gets the
 * same answer.
 */
final class Allocator {
  private static final Logger LOG = LoggerFactory.getLogger(Allocator.class);
  private static final int BIND_ATTEMPTS = 8;

  private final Settings settings;
  private final AllocationTable table;
  private final PortPool ports;
  private final NetworkStack stack;
  private final DataRelay relay;
  private final Responses responses;
  private final TurnMetrics metrics;
  private final Clock clock;

  Allocator(Settings settings, AllocationTable table, PortPool ports, NetworkStack stack, DataRelay relay,
      Responses responses, TurnMetrics metrics) {
    this.settings = settings;
    this.table = table;
    this.ports = ports;
    this.stack = stack;
    this.relay = relay;
    this.responses = responses;
    this.metrics = metrics;
    this.clock = settings.clock();
  }

  void allocate(StunMessage req, ClientEndpoint from, FiveTuple tuple, Responses.Credentials auth) {
    Allocation existing = table.get(tuple);
    if (existing != null) {
      byte[] cached = existing.allocateResponse;
      if (existing.allocateTransaction.equals(req.transactionId()) && cached != null) {
        from.send(cached);
      } else {
        from.send(responses.error(req, ErrorCode.ALLOCATION_MISMATCH, auth));
      }
      return;
    }
    Optional<RequestedTransport> transport = req.get(RequestedTransport.class);
    if (transport.isEmpty()) {
      from.send(responses.error(req, ErrorCode.BAD_REQUEST, auth));
      return;
    }
    if (transport.get().protocol() != RequestedTransport.UDP) {
      from.send(responses.error(req, ErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL, auth));
      return;
    }
    Optional<EvenPort> evenPort = req.get(EvenPort.class);
    Optional<ReservationToken> token = req.get(ReservationToken.class);
    Optional<RequestedAddressFamily> family = req.get(RequestedAddressFamily.class);
    if (token.isPresent() && (evenPort.isPresent() || family.isPresent())) {
      from.send(responses.error(req, ErrorCode.BAD_REQUEST, auth));
      return;
    }
    if (family.isPresent() && family.get().family() != familyOf(settings.relayIp())) {
      int f = family.get().family();
      boolean known = f == RequestedAddressFamily.IPV4 || f == RequestedAddressFamily.IPV6;
      from.send(responses.error(req, known ? ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED : ErrorCode.BAD_REQUEST, auth));
      return;
    }
    switch (table.admit(tuple, auth.username())) {
      case IN_PROGRESS:
        return; // a retransmission while the relay socket is being bound: the response is on its way
      case USER_QUOTA:
        from.send(responses.error(req, ErrorCode.ALLOCATION_QUOTA_REACHED, auth));
        return;
      case TOTAL_QUOTA:
        from.send(responses.error(req, ErrorCode.INSUFFICIENT_CAPACITY, auth));
        return;
      default:
        break;
    }
    long lifetime = settings.grantedLifetimeSeconds(req.get(Lifetime.class), false);
    if (token.isPresent()) {
      OptionalInt port = ports.redeem(token.get().token(), clock.millis());
      if (port.isEmpty()) {
        table.abandon(tuple);
        from.send(responses.error(req, ErrorCode.INSUFFICIENT_CAPACITY, auth));
        return;
      }
      bind(req, from, tuple, auth, port.getAsInt(), false, false, lifetime, 1);
    } else {
      boolean even = evenPort.isPresent();
      boolean pair = even && evenPort.get().reserveNext();
      bindNew(req, from, tuple, auth, even, pair, lifetime, BIND_ATTEMPTS);
    }
  }

  private void bindNew(StunMessage req, ClientEndpoint from, FiveTuple tuple, Responses.Credentials auth,
      boolean even, boolean pair, long lifetime, int attemptsLeft) {
    OptionalInt port = ports.take(even, pair);
    if (port.isEmpty()) {
      table.abandon(tuple);
      from.send(responses.error(req, ErrorCode.INSUFFICIENT_CAPACITY, auth));
      return;
    }
    bind(req, from, tuple, auth, port.getAsInt(), even, pair, lifetime, attemptsLeft);
  }

  private void bind(StunMessage req, ClientEndpoint from, FiveTuple tuple, Responses.Credentials auth, int port,
      boolean even, boolean pair, long lifetime, int attemptsLeft) {
    AtomicReference<Allocation> ref = new AtomicReference<>();
    ChannelFuture f = stack.bindRelay(from.eventLoop(), new InetSocketAddress(settings.relayIp(), port),
        (peer, data) -> relay.onPeerPacket(ref.get(), peer, data));
    f.addListener(done -> {
      if (!done.isSuccess()) {
        ports.release(port);
        if (pair) {
          ports.release(port + 1);
        }
        LOG.debug("relay port {} not bindable: {}", port, done.cause().toString());
        if (attemptsLeft > 1 && !isReserved(req)) {
          bindNew(req, from, tuple, auth, even, pair, lifetime, attemptsLeft - 1);
        } else {
          table.abandon(tuple);
          from.send(responses.error(req, ErrorCode.INSUFFICIENT_CAPACITY, auth));
        }
        return;
      }
      Channel ch = f.channel();
      long now = clock.millis();
      InetSocketAddress advertised = new InetSocketAddress(settings.advertisedIp(), port);
      Allocation a = new Allocation(tuple, from, auth.username(), auth.key(), ch, port, advertised,
          settings.maxBps(), req.transactionId(), now + lifetime * 1000);
      ref.set(a);
      List<StunAttribute> attrs = new ArrayList<>();
      attrs.add(new XorRelayedAddress(advertised));
      attrs.add(new Lifetime(lifetime));
      if (pair) {
        attrs.add(new ReservationToken(ports.reserve(port + 1, now)));
      }
      attrs.add(new XorMappedAddress(from.remote()));
      byte[] response = responses.success(req, auth, attrs);
      a.allocateResponse = response;
      if (!table.activate(a)) {
        ch.close();
        ports.release(port);
        return;
      }
      ch.closeFuture().addListener(c -> ports.release(port));
      metrics.allocationCreated();
      LOG.debug("allocation {} relayed at {} for {} ({} s)", tuple, advertised, auth.username(), lifetime);
      from.send(response);
    });
  }

  private static boolean isReserved(StunMessage req) {
    return req.get(ReservationToken.class).isPresent();
  }

  /** Deletes an allocation: its relay socket closes and its port returns to the pool. */
  void delete(FiveTuple tuple) {
    Allocation a = table.remove(tuple);
    if (a != null) {
      a.relayChannel.close();
      LOG.debug("allocation {} deleted", tuple);
    }
  }

  static int familyOf(InetAddress ip) {
    return ip instanceof Inet4Address ? RequestedAddressFamily.IPV4 : RequestedAddressFamily.IPV6;
  }
}
