package org.parley.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.server.ratelimit.RateLimiter.Limit;

/** Everything the server can be told, immutable. Built by {@link ConfigLoader} from file, environment and flags. */
public record ServerConfig(
    String host,
    int port,
    Path dataDir,
    Duration idleTimeout,
    Duration shutdownGrace,
    Connections connections,
    Optional<Path> tlsCertificate,
    Optional<Path> tlsPrivateKey,
    DatabaseSettings database,
    String messageQueue,
    long queueSegmentBytes,
    boolean queueFsync,
    Duration queueTtl,
    int maxQueuePerDevice,
    int maxContentBytes,
    int maxFrameBytes,
    Duration purgeInterval,
    Duration codeLifetime,
    int maxCodeAttempts,
    String smsSender,
    Optional<URI> smsWebhookUrl,
    Optional<String> smsWebhookToken,
    int passwordHashIterations,
    Limit sessionsPerNumber,
    Limit sessionsPerIp,
    Limit numberLookups,
    Limit prekeyFetches,
    Limit messageSends,
    Limit failedLoginsPerNetwork,
    Turn turn,
    Linking linking,
    Attachments attachments,
    QueueShares queueShares,
    RegistrationGuard registrationGuard,
    Admin admin,
    ClusterSettings cluster) {

  /**
   * Several servers as one (ADR 0151).
   *
   * @param redisUrl where the servers tell each other which holds which device and wake each other up; empty: this
   *     server is alone
   * @param pollInterval while Redis cannot be heard, how often each connected device's queue is read again
   * @param accountCacheTtl with Redis, how long a cached account is used before it is read again: bounds how stale a
   *     server's copy stays when another server's change announcement was lost
   */
  public record ClusterSettings(Optional<String> redisUrl, Duration pollInterval, Duration accountCacheTtl) {
    public ClusterSettings {
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("cluster.poll-interval must be positive, not " + pollInterval);
      }
      if (accountCacheTtl.isNegative() || accountCacheTtl.isZero()) {
        throw new IllegalArgumentException("cluster.account-cache-ttl must be positive, not " + accountCacheTtl);
      }
    }

    public ClusterSettings(Optional<String> redisUrl, Duration pollInterval) {
      this(redisUrl, pollInterval, Duration.ofSeconds(30));
    }
  }

  /**
   * Where {@code /metrics} and {@code /health} are served for operators, apart from the clients' port (ADR 0170).
   *
   * @param port 0 for any free port, -1 for none
   */
  public record Admin(String host, int port) {
    public Admin {
      if (port < -1 || port > 65_535) {
        throw new IllegalArgumentException("admin.port must be a port number, 0 (any free port) or -1 (off), not "
            + port);
      }
    }
  }

  /**
   * Against taking over a number by guessing codes (issue #17, finding 9; ADR 0170).
   *
   * @param backoffBase after {@code freeSessions} verification sessions of a number, the next waits this long, and
   *     each further one twice the one before (up to a day)
   * @param lockLapsesAfter a registration lock stops being enforced once its account has been inactive this long
   * @param lockAttempts tries at a registration lock's PIN per number
   */
  public record RegistrationGuard(Duration backoffBase, int freeSessions, Duration lockLapsesAfter,
      Limit lockAttempts) {}

  /**
   * How the message queue is shared out (issue #17, finding 4; ADR 0170), besides {@code maxQueuePerDevice}.
   *
   * @param maxFromStrangers a device's queue this deep takes no more from senders its account never wrote to
   * @param maxPerStranger messages one such sender may add to a device's queue until the device has emptied it
   * @param maxBytes bytes all queues together may hold
   * @param minFreeDisk new messages are refused while the queue's disk has less free than this
   */
  public record QueueShares(int maxFromStrangers, int maxPerStranger, long maxBytes, long minFreeDisk) {}

  /**
   * What one client address may hold before it has proved who it is (issue #17, finding 2).
   *
   * @param maxPerAddress open connections per client address (IPv6: per /64); more are closed on accept
   * @param requestTimeout a request's head and body (attachment uploads apart: they have their own rate rule) must
   *     arrive within this, however slowly each byte comes; else 408 and the connection closes
   */
  public record Connections(int maxPerAddress, Duration requestTimeout, ProxyProtocol proxyProtocol) {}

  /**
   * The PROXY protocol (v1 and v2, as HAProxy's {@code send-proxy}/{@code send-proxy-v2} send it) in front of the
   * clients' port, so that per-address and per-network limits see the client behind a load balancer (ADR 0170).
   *
   * @param enabled every connection must come from {@code trustedProxies} and start with a PROXY header
   * @param trustedProxies where connections may come from; empty in the file means loopback only
   * @param headerTimeout the header must arrive whole within this, or the connection is closed
   */
  public record ProxyProtocol(boolean enabled, List<Cidr> trustedProxies, Duration headerTimeout) {
    public ProxyProtocol {
      trustedProxies = List.copyOf(trustedProxies);
    }

    public static ProxyProtocol off() {
      return new ProxyProtocol(false, List.of(), Duration.ofSeconds(5));
    }
  }

  /**
   * Attachments (ADR 0120): where their bytes are kept, how large and how long, and what one account and the whole
   * server may hold at once.
   *
   * @param store "local" (files under data-dir/attachments) or "s3"
   * @param uploadTtl an upload not complete this long after its reservation is deleted
   * @param ttl a complete attachment is deleted this long after its upload completed
   * @param maxPendingPerAccount reserved uploads not yet complete, per account
   * @param maxPerAccount attachments (complete or not, not expired) per account
   * @param quotaBytesPerAccount their reserved sizes added up, per account
   * @param maxConcurrentUploads uploads streaming at once on this server (each holds two buffers)
   * @param maxConcurrentDownloads downloads streaming at once on this server
   * @param uploadMinRate bytes per second an upload must average over each {@code uploadRateWindow}, or it is cut
   * @param minFreeDisk the local store refuses reservations that would leave less free disk than this
   */
  public record Attachments(
      String store,
      long maxSize,
      Duration ttl,
      Duration uploadTtl,
      int maxPendingPerAccount,
      int maxPerAccount,
      long quotaBytesPerAccount,
      int maxConcurrentUploads,
      int maxConcurrentDownloads,
      long uploadMinRate,
      Duration uploadRateWindow,
      Duration sweepInterval,
      long minFreeDisk,
      Limit reservations,
      S3 s3) {}

  /**
   * An S3-compatible bucket for {@code attachments.store = s3}.
   *
   * @param endpoint empty: AWS; otherwise e.g. {@code http://127.0.0.1:9000}
   * @param accessKey empty (with secretKey): the AWS SDK's default credential chain
   */
  public record S3(Optional<URI> endpoint, String bucket, String region, Optional<String> accessKey,
      Optional<String> secretKey, String prefix, boolean pathStyle, long partSize) {}

  /**
   * Linking devices: how long a linking code works, how long a provisioning socket (and its address, and so the QR
   * code showing it) lives, and how many devices may be linked besides the primary.
   */
  public record Linking(Duration codeLifetime, Duration provisioningLifetime, int maxLinkedDevices,
      Limit provisioningPerIp) {}

  /**
   * STUN/TURN for calls. {@code embedded}: run parley-turn in this process; otherwise {@code urls} name an external
   * server (e.g. coturn with {@code use-auth-secret}) sharing {@code secret}. Empty {@code urls} are derived from
   * the embedded server's address; an empty secret is generated once and kept in the data directory.
   */
  public record Turn(
      boolean embedded,
      String listeningIp,
      int listeningPort,
      int minPort,
      int maxPort,
      String realm,
      Optional<String> secret,
      Optional<String> externalIp,
      boolean allowLoopbackPeers,
      List<String> urls,
      Duration credentialTtl,
      int totalQuota,
      int ipQuota,
      int maxTcpConnections,
      int maxTcpConnectionsPerIp) {}

  /**
   * Where accounts, keys, attachment slots and (with {@code storage.message-queue = "database"}) the message queue
   * live (ADR 0150).
   *
   * @param backend "h2" (embedded, under the data directory, unless {@code url} names another H2 database) or
   *     "postgres" ({@code url} required)
   * @param poolSize connections the server keeps open to the database at most
   */
  public record DatabaseSettings(String backend, Optional<String> url, String user, String password, int poolSize) {
    public boolean postgres() {
      return backend.equals("postgres");
    }
  }

  /** The defaults: loopback, port 8080, data in ./data, embedded H2, dev SMS sender. */
  public static ServerConfig defaults() {
    return ConfigLoader.load(Optional.empty(), Map.of());
  }

  public ServerConfig withListen(String host, int port) {
    return new ServerConfig(host, port, dataDir, idleTimeout, shutdownGrace, connections, tlsCertificate, tlsPrivateKey,
        database, messageQueue, queueSegmentBytes, queueFsync, queueTtl, maxQueuePerDevice, maxContentBytes, maxFrameBytes,
        purgeInterval, codeLifetime, maxCodeAttempts, smsSender, smsWebhookUrl, smsWebhookToken,
        passwordHashIterations, sessionsPerNumber, sessionsPerIp, numberLookups, prekeyFetches, messageSends, failedLoginsPerNetwork, turn, linking,
        attachments, queueShares, registrationGuard, admin, cluster);
  }

  public ServerConfig withDataDir(Path dataDir) {
    return new ServerConfig(host, port, dataDir, idleTimeout, shutdownGrace, connections, tlsCertificate, tlsPrivateKey,
        database, messageQueue, queueSegmentBytes, queueFsync, queueTtl, maxQueuePerDevice, maxContentBytes, maxFrameBytes,
        purgeInterval, codeLifetime, maxCodeAttempts, smsSender, smsWebhookUrl, smsWebhookToken,
        passwordHashIterations, sessionsPerNumber, sessionsPerIp, numberLookups, prekeyFetches, messageSends, failedLoginsPerNetwork, turn, linking,
        attachments, queueShares, registrationGuard, admin, cluster);
  }
}
