package org.parley.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.parley.protocol.Route;
import org.parley.server.accounts.AccountController;
import org.parley.server.accounts.AccountsService;
import org.parley.server.api.Router;
import org.parley.server.attachments.AttachmentController;
import org.parley.server.attachments.AttachmentService;
import org.parley.server.auth.DeviceAuthenticator;
import org.parley.server.auth.PasswordChecks;
import org.parley.server.auth.PasswordHasher;
import org.parley.server.calls.IceServersController;
import org.parley.server.cluster.Cluster;
import org.parley.server.cluster.RedisCluster;
import org.parley.server.cluster.SingleNode;
import org.parley.server.config.ServerConfig;
import org.parley.server.connections.ClientConnection;
import org.parley.server.keys.KeysController;
import org.parley.server.linking.LinkingCodes;
import org.parley.server.linking.LinkingController;
import org.parley.server.linking.ProvisioningService;
import org.parley.server.messages.DeliveryService;
import org.parley.server.messages.MessageController;
import org.parley.server.messages.MultiRecipientController;
import org.parley.server.messages.QueueQuotas;
import org.parley.server.messages.RecipientSets;
import org.parley.server.metrics.AdminEndpoint;
import org.parley.server.metrics.Readiness;
import org.parley.server.metrics.ServerMetrics;
import org.parley.server.presence.PresenceController;
import org.parley.server.presence.PresenceService;
import org.parley.server.ratelimit.RateLimiter;
import org.parley.server.ratelimit.SharedLimits;
import org.parley.server.registration.DevSmsSender;
import org.parley.server.registration.RegistrationController;
import org.parley.server.registration.RegistrationLockService;
import org.parley.server.registration.SmsSender;
import org.parley.server.registration.VerificationService;
import org.parley.server.registration.WebhookSmsSender;
import org.parley.server.storage.AttachmentStore;
import org.parley.server.storage.ContactPairs;
import org.parley.server.storage.KeyStore;
import org.parley.server.storage.MessageQueue;
import org.parley.server.storage.PrivateFiles;
import org.parley.server.storage.jdbc.Database;
import org.parley.server.storage.jdbc.JdbcAccountStore;
import org.parley.server.storage.jdbc.JdbcAttachmentSlots;
import org.parley.server.storage.jdbc.JdbcContactPairs;
import org.parley.server.storage.jdbc.JdbcKeyStore;
import org.parley.server.storage.jdbc.JdbcLinkingCodes;
import org.parley.server.storage.jdbc.JdbcMessageQueue;
import org.parley.server.storage.jdbc.JdbcRegistrationLocks;
import org.parley.server.storage.jdbc.JdbcVerificationSessions;
import org.parley.server.storage.local.LocalAttachmentStore;
import org.parley.server.storage.log.LogMessageQueue;
import org.parley.server.storage.s3.S3AttachmentStore;
import org.parley.server.transport.ConnectionServices;
import org.parley.server.transport.NettyServer;
import org.parley.turn.api.TurnServer;
import org.parley.turn.api.TurnServerConfig;
import org.parley.turn.api.TurnServerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole server, wired by hand in one place: storage, services, handlers, transport. {@link #start} returns a
 * running server; {@link #close} shuts it down gracefully: stop accepting, tell clients to reconnect, finish the
 * writes in flight, close the database.
 */
public final class ParleyServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ParleyServer.class);

  private final ServerConfig config;
  private final Database database;
  private final MessageQueue queue;
  private final ServerMetrics metrics;
  private final Optional<AdminEndpoint> admin;
  private final Set<ClientConnection> openConnections =
      ConcurrentHashMap.newKeySet();
  private final ExecutorService workers;
  private final ExecutorService attachmentIo;
  private final PasswordChecks passwordChecks;
  private final AttachmentStore attachmentStore;
  private final ScheduledExecutorService housekeeping;
  private final NettyServer transport;
  private final Router router;
  private final Cluster cluster;
  private final Optional<TurnServer> turn;
  private final Readiness readiness;
  private volatile boolean closed;

  private ParleyServer(ServerConfig config, Clock clock) throws IOException, InterruptedException {
    this.config = config;
    PrivateFiles.directory(config.dataDir());
    // First: a server that cannot hear its cluster does not start, and has opened nothing else yet.
    this.cluster = config.cluster().redisUrl()
        .<Cluster>map(url -> RedisCluster.connect(url, config.cluster().pollInterval()))
        .orElseGet(SingleNode::new);
    ServerConfig.DatabaseSettings db = config.database();
    this.database = db.url()
        .map(url -> Database.open(url, db.user(), db.password(), db.poolSize()))
        .orElseGet(() -> Database.embeddedH2(config.dataDir()));
    this.readiness = new Readiness(database.dataSource());
    // Not the URL: it may carry a password.
    log.info("Storage: {}{}, message queue: {}", db.backend(), db.url().isEmpty() ? " under the data directory" : "",
        config.messageQueue());
    this.metrics = new ServerMetrics();
    this.workers = Executors.newFixedThreadPool(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()),
        named("worker"));
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(named("housekeeping"));
    // Blocking attachment storage work (disk writes, fsync, S3 calls); at most one task per upload or download at
    // a time, and those are capped, so the queue is bounded too.
    this.attachmentIo = Executors.newFixedThreadPool(16, named("attachment-io"));

    // One server sees every change itself; several may miss another's announcement (ADR 0151): cached for a while.
    AccountsService accounts = config.cluster().redisUrl().isPresent()
        ? new AccountsService(new JdbcAccountStore(database), cluster, config.cluster().accountCacheTtl(),
            System::nanoTime)
        : new AccountsService(new JdbcAccountStore(database), cluster);
    KeyStore keys = new JdbcKeyStore(database);
    ContactPairs contacts = new JdbcContactPairs(database);
    this.queue = messageQueue(config, database, clock);
    if (cluster instanceof RedisCluster redis) {
      log.info("Clustered through Redis as node {}", redis.nodeId());
    }
    DeliveryService delivery = new DeliveryService(queue, workers, metrics, clock, cluster);
    // Limits an attacker could multiply by the number of servers are the cluster's; the rest stay each server's.
    SharedLimits shared = cluster instanceof RedisCluster redis ? redis.limits() : null;
    cluster.start(delivery.localDevices());
    PresenceService presence = new PresenceService(accounts, clock, cluster);
    PasswordHasher hasher = new PasswordHasher(config.passwordHashIterations());
    this.passwordChecks = PasswordChecks.forThisMachine(hasher);
    DeviceAuthenticator authenticator = new DeviceAuthenticator(accounts, hasher, passwordChecks,
        new RateLimiter("failed logins from your network", config.failedLoginsPerNetwork(), clock, shared),
        // Not a refusal: past it, the device's logins from networks it never used wait in the stranger lane.
        new RateLimiter("failed logins for this device", new RateLimiter.Limit(5, Duration.ofMinutes(2)), clock,
            shared));

    VerificationService verification = new VerificationService(new JdbcVerificationSessions(database),
        smsSender(config), clock, config.codeLifetime(),
        config.maxCodeAttempts(),
        new RateLimiter("verification requests for this number", config.sessionsPerNumber(), clock, shared),
        new RateLimiter("verification requests from this network", config.sessionsPerIp(), clock, shared),
        config.registrationGuard().backoffBase(), config.registrationGuard().freeSessions());

    this.router = new Router(workers);
    RegistrationLockService registrationLocks = new RegistrationLockService(new JdbcRegistrationLocks(database), hasher,
        new RateLimiter("registration lock attempts for this number", config.registrationGuard().lockAttempts(),
            clock, shared),
        config.registrationGuard().lockLapsesAfter(), accountId -> !delivery.connections(accountId).isEmpty(), clock);
    new RegistrationController(verification, accounts, keys, queue, delivery, hasher, registrationLocks, clock)
        .register(router);
    new AccountController(accounts, new RateLimiter("number look-ups", config.numberLookups(), clock, shared),
        registrationLocks::isSet).register(router);
    new KeysController(keys, accounts, new RateLimiter("prekey fetches", config.prekeyFetches(), clock, shared))
        .register(router);
    RateLimiter messageSends = new RateLimiter("messages", config.messageSends(), clock);
    RecipientSets recipientSets = new RecipientSets(RecipientSets.Limits.DEFAULT, clock);
    MessageController.Limits messageLimits = new MessageController.Limits(config.queueTtl(), config.maxContentBytes());
    QueueQuotas quotas = queueQuotas(config, queue, clock);
    new MessageController(accounts, queue, delivery, messageSends, metrics, clock, messageLimits, quotas, contacts,
        workers).register(router);
    new MultiRecipientController(accounts, queue, delivery, messageSends, metrics, clock, messageLimits, quotas,
        contacts, workers, recipientSets).register(router);
    new PresenceController(presence, accounts, contacts).register(router);
    ProvisioningService provisioning = new ProvisioningService(
        new RateLimiter("provisioning connections from this address", config.linking().provisioningPerIp(), clock),
        cluster, config.linking().provisioningLifetime());
    new LinkingController(accounts, keys, queue, delivery, authenticator, hasher,
        new LinkingCodes(new JdbcLinkingCodes(database), clock, config.linking().codeLifetime()), provisioning, config.linking().maxLinkedDevices(),
        clock).register(router);

    ServerConfig.Attachments attachmentLimits = config.attachments();
    this.attachmentStore = attachmentStore(config);
    AttachmentService attachments = new AttachmentService(new JdbcAttachmentSlots(database), attachmentStore,
        attachmentLimits, new RateLimiter("attachment uploads", attachmentLimits.reservations(), clock), metrics,
        attachmentIo, clock);
    new AttachmentController(attachments).register(router);

    String turnSecret = config.turn().secret().orElseGet(() -> persistentSecret(config.dataDir().resolve("turn-secret")));
    this.turn = config.turn().embedded() ? Optional.of(startTurn(config, turnSecret, clock)) : Optional.empty();
    new IceServersController(iceUrls(config, turn), turnSecret, config.turn().credentialTtl(), clock).register(router);

    metrics.gauge("parley.connections", "Connected devices", delivery::connectedCount);
    if (cluster instanceof RedisCluster redis) {
      metrics.gauge("parley.cluster.redis.unreachable",
          "1 while this server cannot hear Redis and polls its devices' queues instead", () -> redis.unreachable() ? 1 : 0);
    }
    metrics.gauge("parley.auth.slow.checks", "Device passwords checked with the slow hash since start",
        passwordChecks::slowChecks);
    metrics.gauge("parley.queue.depth", "Messages stored and not yet acknowledged", queue::totalDepth);
    metrics.gauge("parley.queue.stored.bytes", "Bytes the waiting messages take in the queue", queue::storedBytes);
    metrics.gauge("parley.provisioning.sockets", "Open provisioning sockets of devices waiting to be linked",
        provisioning::openCount);

    metrics.gauge("parley.attachments.stored", "Complete attachments stored and not expired",
        () -> attachments.totals().count());
    metrics.gauge("parley.attachments.stored.bytes", "Bytes of complete attachments stored and not expired",
        () -> attachments.totals().bytes());
    metrics.gauge("parley.attachments.uploads.streaming", "Attachment uploads streaming now",
        attachments::uploadsStreaming);

    long sweepMillis = attachmentLimits.sweepInterval().toMillis();
    housekeeping.scheduleWithFixedDelay(() -> {
      try {
        int deleted = attachments.sweep();
        if (deleted > 0) {
          log.info("Deleted {} expired attachments and abandoned uploads", deleted);
        }
      } catch (RuntimeException e) {
        log.warn("deleting expired attachments failed", e);
      }
    }, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);

    long purgeMillis = config.purgeInterval().toMillis();
    housekeeping.scheduleWithFixedDelay(() -> {
      try {
        int purged = queue.purgeExpired(clock.millis());
        if (purged > 0) {
          log.info("Purged {} expired messages", purged);
        }
        recipientSets.purgeExpired(clock.millis());
      } catch (RuntimeException e) {
        log.warn("purging expired messages failed", e);
      }
    }, purgeMillis, purgeMillis, TimeUnit.MILLISECONDS);

    ConnectionServices services = new ConnectionServices(router, authenticator, delivery, presence, metrics, workers,
        openConnections, config.maxFrameBytes(), (int) config.idleTimeout().toSeconds(), provisioning,
        config.linking().provisioningLifetime().toMillis(), attachments, attachmentLimits, config.connections(),
        readiness);
    // The admin port first: if it cannot listen, no client has been let in yet.
    this.admin = config.admin().port() < 0 ? Optional.empty()
        : Optional.of(AdminEndpoint.start(config.admin().host(), config.admin().port(), metrics, readiness));
    this.transport = new NettyServer(config.host(), config.port(), sslContext(config), services);
    readiness.started();
  }

  public static ParleyServer start(ServerConfig config) throws IOException, InterruptedException {
    return start(config, Clock.systemUTC());
  }

  public static ParleyServer start(ServerConfig config, Clock clock) throws IOException, InterruptedException {
    return new ParleyServer(config, clock);
  }

  public int port() {
    return transport.port();
  }

  /** The port of {@code /metrics} and {@code /health} for operators, unless {@code admin.port} is -1. */
  public OptionalInt adminPort() {
    return admin.map(a -> OptionalInt.of(a.port())).orElse(OptionalInt.empty());
  }

  public ServerConfig config() {
    return config;
  }

  /** What {@code /ready} answers. */
  public Readiness readiness() {
    return readiness;
  }

  public MessageQueue queue() {
    return queue;
  }

  /** The client requests this server answers, read-only. */
  public Set<Route> routes() {
    return router.routes();
  }

  private static MessageQueue messageQueue(ServerConfig config, Database database, Clock clock) {
    return switch (config.messageQueue()) {
      case "log" -> new LogMessageQueue(config.dataDir().resolve("queue"), clock,
          new LogMessageQueue.Settings(config.queueSegmentBytes(), config.queueFsync(), true));
      case "database" -> new JdbcMessageQueue(database, clock);
      default -> throw new IllegalArgumentException(
          "storage.message-queue must be 'log' or 'database', not '" + config.messageQueue() + "'");
    };
  }

  private static QueueQuotas queueQuotas(ServerConfig config, MessageQueue queue, Clock clock) {
    ServerConfig.QueueShares shares = config.queueShares();
    return new QueueQuotas(new QueueQuotas.Limits(config.maxQueuePerDevice(), shares.maxFromStrangers(),
        shares.maxPerStranger(), shares.maxBytes(), shares.minFreeDisk()), queue, config.dataDir(), clock);
  }

  private static AttachmentStore attachmentStore(ServerConfig config) {
    ServerConfig.Attachments a = config.attachments();
    return switch (a.store()) {
      case "local" -> new LocalAttachmentStore(config.dataDir().resolve("attachments"), a.minFreeDisk());
      case "s3" -> new S3AttachmentStore(new S3AttachmentStore.Settings(a.s3().endpoint(), a.s3().bucket(),
          a.s3().region(), a.s3().accessKey(), a.s3().secretKey(), a.s3().prefix(), a.s3().pathStyle(),
          a.s3().partSize(), config.dataDir().resolve("attachment-spool")));
      default -> throw new IllegalArgumentException(
          "attachments.store must be 'local' or 's3', not '" + a.store() + "'");
    };
  }

  private TurnServer startTurn(ServerConfig config, String secret, Clock clock) throws IOException {
    ServerConfig.Turn t = config.turn();
    TurnServerConfig.Builder builder = TurnServerConfig.builder()
        .listeningIp(InetAddress.getByName(t.listeningIp()))
        .listeningPort(t.listeningPort())
        .portRange(t.minPort(), t.maxPort())
        .realm(t.realm())
        .authSecret(secret)
        .allowLoopbackPeers(t.allowLoopbackPeers())
        .totalQuota(t.totalQuota())
        .ipQuota(t.ipQuota())
        .tcpLimits(new TurnServerConfig.TcpLimits(t.maxTcpConnections(), t.maxTcpConnectionsPerIp(),
            Duration.ofMinutes(1)))
        .clock(clock)
        .meterRegistry(metrics.registry());
    if (t.externalIp().isPresent()) {
      builder.externalIp(InetAddress.getByName(t.externalIp().get()));
    }
    try {
      TurnServer server = TurnServer.start(builder.build());
      log.info("STUN/TURN on {} (UDP and TCP)", server.udpAddresses());
      return server;
    } catch (TurnServerException e) {
      throw new IOException("could not start the embedded STUN/TURN server: " + e.getMessage(), e);
    }
  }

  /** The URLs handed to clients: configured ones, or the embedded server's own address. */
  private static List<String> iceUrls(ServerConfig config, Optional<TurnServer> turn) {
    if (!config.turn().urls().isEmpty() || turn.isEmpty()) {
      return config.turn().urls();
    }
    String host = config.turn().externalIp().orElse(config.turn().listeningIp());
    String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + turn.get().port();
    return List.of("stun:" + hostPort, "turn:" + hostPort + "?transport=udp", "turn:" + hostPort + "?transport=tcp");
  }

  /** A random secret kept in a file only the owner can read, made on first start. */
  private static String persistentSecret(Path file) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file).trim();
      }
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      String secret = Base64.getEncoder().encodeToString(bytes);
      PrivateFiles.file(file);
      Files.writeString(file, secret + "\n");
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the TURN secret " + file, e);
    }
  }

  private static SmsSender smsSender(ServerConfig config) {
    return switch (config.smsSender()) {
      case "dev" -> new DevSmsSender(config.dataDir());
      case "webhook" -> new WebhookSmsSender(config.smsWebhookUrl().orElseThrow(() ->
          new IllegalArgumentException("registration.sms-sender = webhook needs registration.sms-webhook-url")),
          config.smsWebhookToken());
      default -> throw new IllegalArgumentException(
          "registration.sms-sender must be 'dev' or 'webhook', not '" + config.smsSender() + "'");
    };
  }

  private static Optional<SslContext> sslContext(ServerConfig config) throws SSLException {
    if (config.tlsCertificate().isEmpty() && config.tlsPrivateKey().isEmpty()) {
      return Optional.empty();
    }
    if (config.tlsCertificate().isEmpty() || config.tlsPrivateKey().isEmpty()) {
      throw new IllegalArgumentException("TLS needs both tls.certificate and tls.private-key (PEM files)");
    }
    return Optional.of(SslContextBuilder
        .forServer(config.tlsCertificate().get().toFile(), config.tlsPrivateKey().get().toFile()).build());
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long drainStarted = System.nanoTime();
    int connected = openConnections.size();
    // Not ready first, so a balancer that still sends someone here is answered 503 by /ready at once (ADR 0152).
    readiness.draining();
    log.info("Draining: no new connections; {} clients are told to reconnect (1001) once their requests are answered",
        connected);
    transport.stopAccepting();
    // Each connection answers what it already read, then closes with 1001; the loop also drains connections whose
    // upgrade was completing when the listener closed. Bounded: a connection still open at the deadline is cut below.
    long deadline = drainStarted + config.shutdownGrace().toNanos();
    while (!openConnections.isEmpty() && System.nanoTime() < deadline) {
      for (ClientConnection connection : openConnections) {
        connection.drain(ClientConnection.CLOSE_GOING_AWAY, "Server shutting down; reconnect");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    log.info("Drained {} connections in {} ms ({} still open are cut)", connected,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStarted), openConnections.size());
    // Network threads stop first (their last tasks, such as disconnect bookkeeping, go to the workers), then the
    // workers finish what they hold, then the queue writes everything submitted, then the database closes.
    transport.close();
    admin.ifPresent(AdminEndpoint::close);
    passwordChecks.close();
    workers.shutdown();
    attachmentIo.shutdown();
    try {
      workers.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
      attachmentIo.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    attachmentStore.close();
    housekeeping.shutdownNow();
    cluster.close();
    turn.ifPresent(TurnServer::close);
    queue.close();
    readiness.close();
    database.close();
    metrics.close();
    log.info("Stopped");
  }
}
