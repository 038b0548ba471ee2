package org.parley.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.parley.turn.api.TurnServerConfig;
import org.parley.turn.api.TurnServerException;
import org.parley.turn.auth.Authenticator;
import org.parley.turn.auth.NonceManager;
import org.parley.turn.auth.RestApiCredentials;
import org.parley.turn.auth.StaticUsers;
import org.parley.turn.stack.ClientEndpoint;
import org.parley.turn.stack.ClientPacketHandler;
import org.parley.turn.stack.NetworkStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the server by hand from its configuration (one startup class, clock injected) and runs the once-a-second
 * sweep that ends expired allocations, permissions, channel bindings and port reservations. Used through
 * {@link org.parley.turn.api.TurnServer}.
 */
public final class ServerCore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCore.class);

  private final NetworkStack stack;
  private final AllocationTable table;
  private final Allocator allocator;
  private final PortPool ports;
  private final TurnMetrics metrics;
  private final ScheduledFuture<?> sweeper;
  private final TurnServerConfig config;

  private ServerCore(TurnServerConfig config, NetworkStack stack, AllocationTable table, Allocator allocator,
      PortPool ports, TurnMetrics metrics) {
    this.config = config;
    this.stack = stack;
    this.table = table;
    this.allocator = allocator;
    this.ports = ports;
    this.metrics = metrics;
    this.sweeper = stack.group().next().scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
  }

  public static ServerCore start(TurnServerConfig config) throws TurnServerException {
    List<InetAddress> listen = config.listeningIps().isEmpty()
        ? List.of(wildcard()) : config.listeningIps();
    InetAddress relayIp = config.relayIp() != null ? config.relayIp() : defaultRelayIp(listen);
    InetAddress advertised = config.externalIp() != null ? config.externalIp() : relayIp;
    Settings settings = new Settings(relayIp, advertised, config.defaultLifetime().toSeconds(),
        config.maxLifetime().toSeconds(), config.permissionLifetime().toMillis(), config.channelLifetime().toMillis(),
        config.maxBps(), config.clock());

    AllocationTable table = new AllocationTable(config.userQuota(), config.totalQuota(), config.ipQuota());
    TurnMetrics metrics = new TurnMetrics(config.meterRegistry(), table::size);
    PortPool ports = new PortPool(config.minPort(), config.maxPort());
    Responses responses = new Responses(config.software());
    Authenticator authenticator = new Authenticator(StaticUsers.parse(config.users()),
        config.useAuthSecret() ? new RestApiCredentials(config.staticAuthSecrets(), config.clock()) : null);
    LongTermAuth auth = new LongTermAuth(config.realm(), authenticator,
        new NonceManager(config.clock(), config.nonceLifetime()), responses, metrics);
    PeerAddressPolicy policy = new PeerAddressPolicy(config.allowLoopbackPeers(), config.deniedPeerIps(),
        config.allowedPeerIps(), ownAddresses(listen, relayIp, advertised));
    DataRelay relay = new DataRelay(table, policy, metrics, config.clock());

    // The processor needs the stack (to bind relay sockets) and the stack needs the processor (to deliver
    // packets): a small forwarding holder breaks the cycle before any packet can arrive.
    ProcessorHolder holder = new ProcessorHolder();
    NetworkStack stack;
    try {
      stack = NetworkStack.start(listen, config.listeningPort(), config.udp(), config.tcp(), config.ioThreads(),
          config.useEpoll(), config.tcpLimits(), holder);
    } catch (IOException e) {
      throw new TurnServerException(e.getMessage(), e);
    }
    Allocator allocator = new Allocator(settings, table, ports, stack, relay, responses, metrics);
    holder.set(new TurnProcessor(settings, table, allocator, relay, auth, policy, responses, metrics));
    LOG.info("STUN/TURN listening on UDP {} TCP {}, relaying from {} (advertised {}) ports {}-{}, {}",
        stack.udpAddresses(), stack.tcpAddresses(), relayIp.getHostAddress(), advertised.getHostAddress(),
        config.minPort(), config.maxPort(), stack.usesEpoll() ? "epoll" : "nio");
    return new ServerCore(config, stack, table, allocator, ports, metrics);
  }

  /**
   * The server's own addresses (listening, relay, external): relaying to them is allowed only to another
   * allocation's relay port, so a client cannot bounce traffic off the server's own listening ports.
   */
  private static Set<InetAddress> ownAddresses(List<InetAddress> listen, InetAddress relayIp,
      InetAddress advertised) {
    Set<InetAddress> own = new LinkedHashSet<>(listen);
    own.add(relayIp);
    own.add(advertised);
    return own;
  }

  private static InetAddress wildcard() {
    try {
      return InetAddress.getByAddress(new byte[4]);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first listening IP, or for the wildcard the first IPv4 address of an up, non-loopback interface. */
  static InetAddress defaultRelayIp(List<InetAddress> listen) throws TurnServerException {
    for (InetAddress ip : listen) {
      if (!ip.isAnyLocalAddress()) {
        return ip;
      }
    }
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || nif.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
            return a;
          }
        }
      }
    } catch (SocketException e) {
      throw new TurnServerException("cannot list network interfaces to choose relay-ip", e);
    }
    throw new TurnServerException("listening on the wildcard address and no relay-ip found; set relay-ip");
  }

  private void sweep() {
    try {
      long now = config.clock().millis();
      for (Allocation a : table.snapshot()) {
        if (a.expiresAtMillis <= now) {
          allocator.delete(a.fiveTuple);
        } else {
          a.expireEntries(now);
        }
      }
      ports.expire(now);
    } catch (RuntimeException e) {
      LOG.warn("sweep failed", e);
    }
  }

  public List<InetSocketAddress> udpAddresses() {
    return stack.udpAddresses();
  }

  public List<InetSocketAddress> tcpAddresses() {
    return stack.tcpAddresses();
  }

  public int activeAllocations() {
    return table.size();
  }

  public TurnMetrics metrics() {
    return metrics;
  }

  /** Graceful stop: no new packets, every allocation deleted (relay sockets closed), then the threads end. */
  @Override
  public void close() {
    sweeper.cancel(false);
    stack.closeListeners();
    for (Allocation a : table.snapshot()) {
      allocator.delete(a.fiveTuple);
      a.client.close();
    }
    ports.closeAll();
    stack.close();
    LOG.info("STUN/TURN server stopped");
  }

  private static final class ProcessorHolder implements ClientPacketHandler {
    private volatile TurnProcessor processor;

    void set(TurnProcessor p) {
      this.processor = p;
    }

    @Override
    public void onClientPacket(ClientEndpoint from, ByteBuf packet) {
      TurnProcessor p = processor;
      if (p != null) {
        p.onClientPacket(from, packet);
      }
    }

    @Override
    public boolean holdsAllocation(ClientEndpoint endpoint) {
      TurnProcessor p = processor;
      return p != null && p.holdsAllocation(endpoint);
    }

    @Override
    public void onClientClosed(ClientEndpoint endpoint) {
      TurnProcessor p = processor;
      if (p != null) {
        p.onClientClosed(endpoint);
      }
    }

    @Override
    public void onUnframeable(ClientEndpoint endpoint) {
      TurnProcessor p = processor;
      if (p != null) {
        p.onUnframeable(endpoint);
      }
    }
  }
}
