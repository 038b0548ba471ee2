package org.parley.turn.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.parley.turn.api.IpRange;
import org.parley.turn.api.TurnServer;
import org.parley.turn.api.TurnServerConfig;
import org.parley.turn.api.TurnServerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley-turn}: the STUN/TURN server from the command line. Option names follow coturn's turnserver. */
@Command(name = "parley-turn", mixinStandardHelpOptions = true, version = "parley-turn 0.1.0",
    sortOptions = false,
    description = "STUN (RFC 8489) / TURN (RFC 8656) server over UDP and TCP. Options can also be given in a "
        + "config file (-c), one per line as name=value, coturn style.")
public final class ParleyTurn implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, description = "Config file (coturn turnserver.conf style).")
  Path config;

  @Option(names = {"-L", "--listening-ip"}, description = "Address to listen on (repeatable). Default: 0.0.0.0.")
  List<InetAddress> listeningIps = new ArrayList<>();

  @Option(names = {"-p", "--listening-port"}, defaultValue = "3478", description = "UDP/TCP port. Default: 3478.")
  int listeningPort;

  @Option(names = {"-E", "--relay-ip"}, description = "Address relay sockets bind to.")
  InetAddress relayIp;

  @Option(names = {"-X", "--external-ip"}, description = "Public address advertised behind a 1:1 NAT.")
  InetAddress externalIp;

  @Option(names = "--min-port", defaultValue = "49152", description = "Lowest relay port. Default: 49152.")
  int minPort;

  @Option(names = "--max-port", defaultValue = "65535", description = "Highest relay port. Default: 65535.")
  int maxPort;

  @Option(names = {"-r", "--realm"}, defaultValue = "parley", description = "Realm. Default: parley.")
  String realm;

  @Option(names = {"-u", "--user"}, description = "Static user name:password (repeatable).")
  List<String> users = new ArrayList<>();

  @Option(names = "--use-auth-secret", description = "Accept TURN REST API credentials (time-limited).")
  boolean useAuthSecret;

  @Option(names = "--static-auth-secret", description = "Shared secret of TURN REST API credentials (repeatable).")
  List<String> staticAuthSecrets = new ArrayList<>();

  @Option(names = "--allow-loopback-peers", description = "Allow relaying to loopback (testing only).")
  boolean allowLoopbackPeers;

  @Option(names = "--denied-peer-ip", description = "Never relay to this range (repeatable; a.b.c.d, a-b, cidr).")
  List<String> deniedPeerIps = new ArrayList<>();

  @Option(names = "--allowed-peer-ip", description = "Relay to this range even if denied by default (repeatable).")
  List<String> allowedPeerIps = new ArrayList<>();

  @Option(names = "--user-quota", defaultValue = "0", description = "Allocations per user, 0 = unlimited.")
  int userQuota;

  @Option(names = "--total-quota", defaultValue = "0", description = "Allocations in total, 0 = unlimited.")
  int totalQuota;

  @Option(names = "--ip-quota", defaultValue = "0",
      description = "Allocations per client IP address, 0 = unlimited (not in coturn).")
  int ipQuota;

  @Option(names = "--max-tcp-connections", defaultValue = "0",
      description = "TCP client connections in total, 0 = unlimited (not in coturn).")
  int maxTcpConnections;

  @Option(names = "--max-tcp-connections-per-ip", defaultValue = "0",
      description = "TCP client connections per client IP address, 0 = unlimited (not in coturn).")
  int maxTcpConnectionsPerIp;

  @Option(names = "--tcp-idle-timeout", defaultValue = "60",
      description = "Seconds a TCP connection without an allocation may stay idle (not in coturn).")
  long tcpIdleSeconds;

  @Option(names = "--max-bps", defaultValue = "0",
      description = "Bytes per second per allocation and direction, 0 = unlimited.")
  long maxBps;

  @Option(names = "--stale-nonce", defaultValue = "600", description = "Nonce lifetime in seconds. Default: 600.")
  long staleNonce;

  @Option(names = "--max-allocate-lifetime", defaultValue = "3600",
      description = "Longest allocation lifetime in seconds. Default: 3600.")
  long maxAllocateLifetime;

  @Option(names = "--channel-lifetime", defaultValue = "600", description = "Channel lifetime, s. Default: 600.")
  long channelLifetime;

  @Option(names = "--permission-lifetime", defaultValue = "300",
      description = "Permission lifetime, s. Default: 300.")
  long permissionLifetime;

  @Option(names = "--no-udp", description = "Do not listen on UDP.")
  boolean noUdp;

  @Option(names = "--no-tcp", description = "Do not listen on TCP.")
  boolean noTcp;

  @Option(names = "--no-software-attribute", description = "Do not send the SOFTWARE attribute.")
  boolean noSoftware;

  @Option(names = "--relay-threads", defaultValue = "0", description = "I/O threads, 0 = one per CPU.")
  int threads;

  @Option(names = "--no-epoll", description = "Use Java NIO even where epoll is available.")
  boolean noEpoll;

  @Option(names = "--prometheus", description = "Serve Prometheus metrics at http://<prometheus-ip>:<port>/metrics.")
  boolean prometheus;

  @Option(names = "--prometheus-port", defaultValue = "9641", description = "Metrics port. Default: 9641.")
  int prometheusPort;

  @Option(names = "--prometheus-ip", defaultValue = "127.0.0.1", description = "Metrics address. Default: 127.0.0.1.")
  InetAddress prometheusIp;

  @Option(names = {"-v", "--verbose"}, description = "Log each allocation (debug level).")
  boolean verbose;

  private final CountDownLatch stopped = new CountDownLatch(1);

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Parses {@code args} (and the config file they name) and runs until stopped. Returns the exit code. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    List<String> all = new ArrayList<>();
    try {
      Path file = findConfig(args);
      if (file != null) {
        all.addAll(ConfigFile.toArguments(file));
      }
    } catch (IOException e) {
      err.println("parley-turn: cannot read config: " + e.getMessage());
      return 2;
    }
    all.addAll(List.of(args));
    CommandLine cl = new CommandLine(new ParleyTurn());
    cl.setOverwrittenOptionsAllowed(true);
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(all.toArray(new String[0]));
  }

  private static Path findConfig(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if ((args[i].equals("-c") || args[i].equals("--config")) && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    return null;
  }

  TurnServerConfig toConfig(PrometheusMeterRegistry registry) {
    TurnServerConfig.Builder b = TurnServerConfig.builder()
        .listeningPort(listeningPort)
        .udp(!noUdp)
        .tcp(!noTcp)
        .relayIp(relayIp)
        .externalIp(externalIp)
        .portRange(minPort, maxPort)
        .realm(realm)
        .allowLoopbackPeers(allowLoopbackPeers)
        .userQuota(userQuota)
        .totalQuota(totalQuota)
        .ipQuota(ipQuota)
        .tcpLimits(new TurnServerConfig.TcpLimits(maxTcpConnections, maxTcpConnectionsPerIp,
            Duration.ofSeconds(tcpIdleSeconds)))
        .maxBps(maxBps)
        .nonceLifetime(Duration.ofSeconds(staleNonce))
        .maxLifetime(Duration.ofSeconds(maxAllocateLifetime))
        .channelLifetime(Duration.ofSeconds(channelLifetime))
        .permissionLifetime(Duration.ofSeconds(permissionLifetime))
        .software(noSoftware ? "" : "parley-turn")
        .ioThreads(threads)
        .useEpoll(!noEpoll)
        .meterRegistry(registry);
    listeningIps.forEach(b::listeningIp);
    users.forEach(b::user);
    if (useAuthSecret) {
      if (staticAuthSecrets.isEmpty()) {
        throw new IllegalArgumentException("--use-auth-secret needs --static-auth-secret");
      }
      staticAuthSecrets.forEach(b::authSecret);
    }
    deniedPeerIps.forEach(r -> b.deniedPeerIp(IpRange.parse(r)));
    allowedPeerIps.forEach(r -> b.allowedPeerIp(IpRange.parse(r)));
    return b.build();
  }

  @Override
  public Integer call() throws Exception {
    if (verbose) {
      // read by logback.xml; logging is not initialised before the server starts
      System.setProperty("parley.turn.log.level", "DEBUG");
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TurnServerConfig cfg;
    try {
      cfg = toConfig(registry);
    } catch (IllegalArgumentException e) {
      System.err.println("parley-turn: " + e.getMessage());
      return 2;
    }
    TurnServer server;
    try {
      server = TurnServer.start(cfg);
    } catch (TurnServerException e) {
      System.err.println("parley-turn: " + e.getMessage());
      return 1;
    }
    MetricsHttpServer metrics = prometheus
        ? new MetricsHttpServer(new InetSocketAddress(prometheusIp, prometheusPort), registry) : null;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (metrics != null) {
        metrics.close();
      }
      server.close();
      stopped.countDown();
    }, "parley-turn-shutdown"));
    System.out.println("parley-turn ready port=" + server.port() + " udp=" + server.udpAddresses()
        + " tcp=" + server.tcpAddresses() + (metrics != null ? " metrics=" + metrics.address() : ""));
    System.out.flush();
    stopped.await();
    return 0;
  }
}
