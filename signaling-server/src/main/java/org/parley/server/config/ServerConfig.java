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
    Optional<Path> tlsCertificate,
    Optional<Path> tlsPrivateKey,
    Optional<String> databaseUrl,
    String databaseUser,
    String databasePassword,
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
    Turn turn,
    Linking linking) {

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
      Duration credentialTtl) {}

  /** The defaults: loopback, port 8080, data in ./data, embedded H2, dev SMS sender. */
  public static ServerConfig defaults() {
    return ConfigLoader.load(Optional.empty(), Map.of());
  }

  public ServerConfig withListen(String host, int port) {
    return new ServerConfig(host, port, dataDir, idleTimeout, shutdownGrace, tlsCertificate, tlsPrivateKey,
        databaseUrl, databaseUser, databasePassword, messageQueue, queueSegmentBytes, queueFsync, queueTtl, maxQueuePerDevice, maxContentBytes, maxFrameBytes,
        purgeInterval, codeLifetime, maxCodeAttempts, smsSender, smsWebhookUrl, smsWebhookToken,
        passwordHashIterations, sessionsPerNumber, sessionsPerIp, numberLookups, prekeyFetches, messageSends, turn, linking);
  }

  public ServerConfig withDataDir(Path dataDir) {
    return new ServerConfig(host, port, dataDir, idleTimeout, shutdownGrace, tlsCertificate, tlsPrivateKey,
        databaseUrl, databaseUser, databasePassword, messageQueue, queueSegmentBytes, queueFsync, queueTtl, maxQueuePerDevice, maxContentBytes, maxFrameBytes,
        purgeInterval, codeLifetime, maxCodeAttempts, smsSender, smsWebhookUrl, smsWebhookToken,
        passwordHashIterations, sessionsPerNumber, sessionsPerIp, numberLookups, prekeyFetches, messageSends, turn, linking);
  }
}
