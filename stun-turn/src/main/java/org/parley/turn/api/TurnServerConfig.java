package org.parley.turn.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link TurnServer} needs, immutable. Build it with {@link #builder()}; names follow coturn's options
 * where the concept is the same (listening-ip, listening-port, relay-ip, external-ip, min-port, max-port, realm,
 * user, use-auth-secret, static-auth-secret, allow-loopback-peers, denied-peer-ip, allowed-peer-ip, user-quota,
 * total-quota, max-bps, stale-nonce, max-allocate-lifetime, channel-lifetime, permission-lifetime).
 *
 * @param listeningIps addresses to listen on; empty means the wildcard 0.0.0.0
 * @param listeningPort UDP and TCP port for STUN/TURN; 0 picks a free port (tests)
 * @param udp listen on UDP
 * @param tcp listen on TCP
 * @param relayIp address relay sockets bind to; null means the first listening IP, or the first non-loopback
 *     interface address when listening on the wildcard
 * @param externalIp address advertised in XOR-RELAYED-ADDRESS when the server is behind a 1:1 NAT; null for none
 * @param minPort lowest relay port
 * @param maxPort highest relay port
 * @param realm realm of long-term credentials
 * @param users static users as {@code name:password}
 * @param useAuthSecret accept TURN REST API credentials made with one of {@code staticAuthSecrets}
 * @param staticAuthSecrets shared secrets for TURN REST API credentials (several allow rotation)
 * @param allowLoopbackPeers permit relaying to 127.0.0.0/8 and ::1 (tests only)
 * @param deniedPeerIps extra ranges never relayed to
 * @param allowedPeerIps ranges relayed to even when a default rule denies them
 * @param userQuota allocations per user at once, 0 for no limit
 * @param totalQuota allocations in total at once, 0 for no limit
 * @param ipQuota allocations per client IP address at once, 0 for no limit (REST credentials carry a new user name
 *     each time they are minted, so the user quota alone does not stop one client)
 * @param tcpLimits what TCP clients may hold: connections in total and per IP, and how long one without an
 *     allocation may stay open
 * @param maxBps bytes per second per allocation in each direction, 0 for no limit
 * @param nonceLifetime how long a nonce stays valid before 438 Stale Nonce
 * @param defaultLifetime allocation lifetime when the client asks for less or nothing (RFC 8656: 10 minutes)
 * @param maxLifetime longest allocation lifetime granted
 * @param permissionLifetime permission lifetime (RFC 8656: 300 s)
 * @param channelLifetime channel binding lifetime (RFC 8656: 600 s)
 * @param software value of the SOFTWARE attribute in responses; empty for none
 * @param ioThreads event-loop threads; 0 means one per available processor
 * @param useEpoll use Linux epoll when available (SO_REUSEPORT spreads UDP clients over threads)
 * @param clock time source for lifetimes, nonces and REST credential expiry
 * @param meterRegistry where metrics go
 */
public record TurnServerConfig(
    List<InetAddress> listeningIps,
    int listeningPort,
    boolean udp,
    boolean tcp,
    InetAddress relayIp,
    InetAddress externalIp,
    int minPort,
    int maxPort,
    String realm,
    List<String> users,
    boolean useAuthSecret,
    List<String> staticAuthSecrets,
    boolean allowLoopbackPeers,
    List<IpRange> deniedPeerIps,
    List<IpRange> allowedPeerIps,
    int userQuota,
    int totalQuota,
    int ipQuota,
    TcpLimits tcpLimits,
    long maxBps,
    Duration nonceLifetime,
    Duration defaultLifetime,
    Duration maxLifetime,
    Duration permissionLifetime,
    Duration channelLifetime,
    String software,
    int ioThreads,
    boolean useEpoll,
    Clock clock,
    MeterRegistry meterRegistry) {

  public TurnServerConfig {
    listeningIps = List.copyOf(listeningIps);
    users = List.copyOf(users);
    staticAuthSecrets = List.copyOf(staticAuthSecrets);
    deniedPeerIps = List.copyOf(deniedPeerIps);
    allowedPeerIps = List.copyOf(allowedPeerIps);
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(software, "software");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    if (listeningPort < 0 || listeningPort > 65535) {
      throw new IllegalArgumentException("listening-port must be 0..65535");
    }
    if (minPort < 1 || maxPort > 65535 || minPort > maxPort) {
      throw new IllegalArgumentException("need 1 <= min-port <= max-port <= 65535, got " + minPort + ".." + maxPort);
    }
    if (!udp && !tcp) {
      throw new IllegalArgumentException("listen on UDP, TCP or both");
    }
    if (realm.isBlank()) {
      throw new IllegalArgumentException("realm must not be empty");
    }
    if (useAuthSecret && staticAuthSecrets.isEmpty()) {
      throw new IllegalArgumentException("use-auth-secret needs static-auth-secret");
    }
    if (users.isEmpty() && !useAuthSecret) {
      throw new IllegalArgumentException(
          "no credentials: give --user name:password or --use-auth-secret with --static-auth-secret"
              + " (unauthenticated relaying is not offered)");
    }
    Objects.requireNonNull(tcpLimits, "tcpLimits");
    if (userQuota < 0 || totalQuota < 0 || ipQuota < 0 || maxBps < 0 || ioThreads < 0) {
      throw new IllegalArgumentException("quotas, max-bps and threads must not be negative");
    }
    for (Duration d : List.of(nonceLifetime, defaultLifetime, maxLifetime, permissionLifetime, channelLifetime)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("lifetimes must be positive");
      }
    }
    if (maxLifetime.compareTo(defaultLifetime) < 0) {
      throw new IllegalArgumentException("max-allocate-lifetime is shorter than the default lifetime");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * TCP connections hold a file descriptor each, shared with whatever else runs in the process (the signaling server
   * when TURN is embedded): these bound them.
   *
   * @param maxConnections open TCP client connections in total, 0 for no limit
   * @param maxPerIp open TCP client connections per client IP, 0 for no limit
   * @param idleWithoutAllocation a connection that holds no allocation and sends nothing for this long is closed
   */
  public record TcpLimits(int maxConnections, int maxPerIp, Duration idleWithoutAllocation) {
    public TcpLimits {
      if (maxConnections < 0 || maxPerIp < 0) {
        throw new IllegalArgumentException("TCP connection limits must not be negative");
      }
      if (idleWithoutAllocation.isNegative() || idleWithoutAllocation.isZero()) {
        throw new IllegalArgumentException("the TCP idle timeout must be positive");
      }
    }

    /** No connection caps; idle connections without an allocation close after a minute. */
    public static TcpLimits unlimited() {
      return new TcpLimits(0, 0, Duration.ofMinutes(1));
    }
  }

  /** A builder with RFC 8656 defaults and coturn's default ports. */
  public static final class Builder {
    private final List<InetAddress> listeningIps = new ArrayList<>();
    private int listeningPort = 3478;
    private boolean udp = true;
    private boolean tcp = true;
    private InetAddress relayIp;
    private InetAddress externalIp;
    private int minPort = 49152;
    private int maxPort = 65535;
    private String realm = "parley";
    private final List<String> users = new ArrayList<>();
    private boolean useAuthSecret;
    private final List<String> staticAuthSecrets = new ArrayList<>();
    private boolean allowLoopbackPeers;
    private final List<IpRange> deniedPeerIps = new ArrayList<>();
    private final List<IpRange> allowedPeerIps = new ArrayList<>();
    private int userQuota;
    private int totalQuota;
    private int ipQuota;
    private TcpLimits tcpLimits = TcpLimits.unlimited();
    private long maxBps;
    private Duration nonceLifetime = Duration.ofMinutes(10);
    private Duration defaultLifetime = Duration.ofMinutes(10);
    private Duration maxLifetime = Duration.ofHours(1);
    private Duration permissionLifetime = Duration.ofMinutes(5);
    private Duration channelLifetime = Duration.ofMinutes(10);
    private String software = "parley-turn";
    private int ioThreads;
    private boolean useEpoll = true;
    private Clock clock = Clock.systemUTC();
    private MeterRegistry meterRegistry;

    private Builder() {}

    public Builder listeningIp(InetAddress ip) {
      listeningIps.add(ip);
      return this;
    }

    public Builder listeningPort(int port) {
      this.listeningPort = port;
      return this;
    }

    public Builder udp(boolean on) {
      this.udp = on;
      return this;
    }

    public Builder tcp(boolean on) {
      this.tcp = on;
      return this;
    }

    public Builder relayIp(InetAddress ip) {
      this.relayIp = ip;
      return this;
    }

    public Builder externalIp(InetAddress ip) {
      this.externalIp = ip;
      return this;
    }

    public Builder portRange(int min, int max) {
      this.minPort = min;
      this.maxPort = max;
      return this;
    }

    public Builder realm(String realm) {
      this.realm = realm;
      return this;
    }

    /** A static user, {@code name:password}. */
    public Builder user(String nameColonPassword) {
      users.add(nameColonPassword);
      return this;
    }

    /** Turns on TURN REST API credentials with this shared secret (may be called again to add a secret). */
    public Builder authSecret(String secret) {
      this.useAuthSecret = true;
      staticAuthSecrets.add(secret);
      return this;
    }

    public Builder allowLoopbackPeers(boolean allow) {
      this.allowLoopbackPeers = allow;
      return this;
    }

    public Builder deniedPeerIp(IpRange range) {
      deniedPeerIps.add(range);
      return this;
    }

    public Builder allowedPeerIp(IpRange range) {
      allowedPeerIps.add(range);
      return this;
    }

    public Builder userQuota(int n) {
      this.userQuota = n;
      return this;
    }

    public Builder totalQuota(int n) {
      this.totalQuota = n;
      return this;
    }

    public Builder ipQuota(int n) {
      this.ipQuota = n;
      return this;
    }

    public Builder tcpLimits(TcpLimits limits) {
      this.tcpLimits = limits;
      return this;
    }

    public Builder maxBps(long bytesPerSecond) {
      this.maxBps = bytesPerSecond;
      return this;
    }

    public Builder nonceLifetime(Duration d) {
      this.nonceLifetime = d;
      return this;
    }

    public Builder defaultLifetime(Duration d) {
      this.defaultLifetime = d;
      return this;
    }

    public Builder maxLifetime(Duration d) {
      this.maxLifetime = d;
      return this;
    }

    public Builder permissionLifetime(Duration d) {
      this.permissionLifetime = d;
      return this;
    }

    public Builder channelLifetime(Duration d) {
      this.channelLifetime = d;
      return this;
    }

    public Builder software(String software) {
      this.software = software;
      return this;
    }

    public Builder ioThreads(int n) {
      this.ioThreads = n;
      return this;
    }

    public Builder useEpoll(boolean on) {
      this.useEpoll = on;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    public TurnServerConfig build() {
      return new TurnServerConfig(listeningIps, listeningPort, udp, tcp, relayIp, externalIp, minPort, maxPort,
          realm, users, useAuthSecret, staticAuthSecrets, allowLoopbackPeers, deniedPeerIps, allowedPeerIps,
          userQuota, totalQuota, ipQuota, tcpLimits, maxBps, nonceLifetime, defaultLifetime, maxLifetime, permissionLifetime,
          channelLifetime, software, ioThreads, useEpoll, clock,
          meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry);
    }
  }
}
