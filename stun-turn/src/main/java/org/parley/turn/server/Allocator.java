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
import java.util.function.Consumer;
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
      case IP_QUOTA:
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
      Optional<PortPool.Reservation> reserved = ports.redeem(token.get().token(), clock.millis());
      if (reserved.isEmpty()) {
        table.abandon(tuple);
        from.send(responses.error(req, ErrorCode.INSUFFICIENT_CAPACITY, auth));
        return;
      }
      PortPool.Reservation r = reserved.get();
      complete(req, from, tuple, auth, r.channel(), r.port(), r.owner(), lifetime, null);
    } else {
      boolean even = evenPort.isPresent();
      boolean pair = even && evenPort.get().reserveNext();
      bindNew(req, from, tuple, auth, even, pair, lifetime, BIND_ATTEMPTS);
    }
  }

  private void bindNew(StunMessage req, ClientEndpoint from, FiveTuple tuple, Responses.Credentials auth,
      boolean even, boolean pair, long lifetime, int attemptsLeft) {
    OptionalInt taken = ports.take(even, pair);
    if (taken.isEmpty()) {
      table.abandon(tuple);
      from.send(responses.error(req, ErrorCode.INSUFFICIENT_CAPACITY, auth));
      return;
    }
    int port = taken.getAsInt();
    Runnable retry = () -> {
      if (attemptsLeft > 1) {
        bindNew(req, from, tuple, auth, even, pair, lifetime, attemptsLeft - 1);
      } else {
        table.abandon(tuple);
        from.send(responses.error(req, ErrorCode.INSUFFICIENT_CAPACITY, auth));
      }
    };
    AtomicReference<Allocation> owner = new AtomicReference<>();
    bind(from, port, owner, main -> {
      if (main == null) {
        if (pair) {
          ports.release(port + 1);
        }
        retry.run();
      } else if (!pair) {
        complete(req, from, tuple, auth, main, port, owner, lifetime, null);
      } else {
        // EVEN-PORT with R: hold port + 1 with a bound socket for the RESERVATION-TOKEN.
        AtomicReference<Allocation> nextOwner = new AtomicReference<>();
        bind(from, port + 1, nextOwner, next -> {
          if (next == null) {
            main.close();
            retry.run();
          } else {
            long t = ports.reserve(port + 1, next, nextOwner, clock.millis());
            complete(req, from, tuple, auth, main, port, owner, lifetime, new ReservationToken(t));
          }
        });
      }
    });
  }

  /**
   * Binds a relay socket on the client's event loop and calls {@code then} with the channel, or with null (the
   * port given back) if the port could not be bound. Once bound, the port returns to the pool when the socket
   * closes.
   */
  private void bind(ClientEndpoint from, int port, AtomicReference<Allocation> owner,
      Consumer<Channel> then) {
    ChannelFuture f = stack.bindRelay(from.eventLoop(), new InetSocketAddress(settings.relayIp(), port),
        (peer, data) -> relay.onPeerPacket(owner.get(), peer, data));
    f.addListener(done -> {
      if (done.isSuccess()) {
        f.channel().closeFuture().addListener(c -> ports.release(port));
        then.accept(f.channel());
      } else {
        ports.release(port);
        LOG.debug("relay port {} not bindable: {}", port, done.cause().toString());
        then.accept(null);
      }
    });
  }

  private void complete(StunMessage req, ClientEndpoint from, FiveTuple tuple, Responses.Credentials auth,
      Channel ch, int port, AtomicReference<Allocation> owner, long lifetime, ReservationToken token) {
    long now = clock.millis();
    InetSocketAddress advertised = new InetSocketAddress(settings.advertisedIp(), port);
    Allocation a = new Allocation(tuple, from, auth.username(), auth.key(), ch, port, advertised,
        settings.maxBps(), req.transactionId(), now + lifetime * 1000);
    owner.set(a);
    List<StunAttribute> attrs = new ArrayList<>();
    attrs.add(new XorRelayedAddress(advertised));
    attrs.add(new Lifetime(lifetime));
    if (token != null) {
      attrs.add(token);
    }
    attrs.add(new XorMappedAddress(from.remote()));
    byte[] response = responses.success(req, auth, attrs);
    a.allocateResponse = response;
    if (!table.activate(a)) {
      ch.close(); // the client went away while the socket was being bound
      return;
    }
    metrics.allocationCreated();
    LOG.debug("allocation {} relayed at {} for {} ({} s)", tuple, advertised, auth.username(), lifetime);
    from.send(response);
  }

  /** Deletes an allocation: its relay socket closes and its port returns to the pool. */
  void delete(FiveTuple tuple) {
    Allocation a = table.remove(tuple);
    if (a != null) {
      // Data relayed before the deleting request is still in the batch of unflushed writes: send it first.
      a.relayChannel.flush();
      a.relayChannel.close();
      LOG.debug("allocation {} deleted", tuple);
    }
  }

  static int familyOf(InetAddress ip) {
    return ip instanceof Inet4Address ? RequestedAddressFamily.IPV4 : RequestedAddressFamily.IPV6;
  }
}
