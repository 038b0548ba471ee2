package org.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.server.ratelimit.RateLimiter.Limit;

/**
 * Reads the configuration: a TOML file (optional), then environment variables, which win. A key such as
 * {@code messages.queue-ttl} is overridden by {@code PARLEY_MESSAGES_QUEUE_TTL}. Durations are written like
 * {@code 500ms}, {@code 90s}, {@code 10m}, {@code 1h}, {@code 30d}; rate limits as {@code count/period}, e.g.
 * {@code 3/10m}: three at once, refilled evenly over ten minutes.
 */
public final class ConfigLoader {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern LIMIT = Pattern.compile("(\\d+)\\s*/\\s*(\\S+)");

  private final JsonNode file;
  private final Map<String, String> env;
  /**
   * Every key {@link #build()} asked for, with the value it got and from where: a key in the file that is not here
   * is a typo or from another version.
   */
  private final Map<String, String> known = new TreeMap<>();

  private ConfigLoader(JsonNode file, Map<String, String> env) {
    this.file = file;
    this.env = env;
  }

  /** Thrown for a file that cannot be read or a value that does not parse; the message names the key. */
  public static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConfigException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static ServerConfig load(Optional<Path> configFile, Map<String, String> env) {
    return new ConfigLoader(readFile(configFile), env).build();
  }

  /**
   * Reads and checks a config file without starting anything: its values must parse, and every key must be one the
   * server knows (a misspelt key would otherwise be ignored in silence).
   *
   * @throws ConfigException naming the first bad value, or every unknown key
   */
  public static Checked check(Path configFile, Map<String, String> env) {
    ConfigLoader loader = new ConfigLoader(readFile(Optional.of(configFile)), env);
    ServerConfig config = loader.build();
    List<String> unknown = new ArrayList<>();
    collectKeys(loader.file, "", unknown);
    unknown.removeIf(loader.known::containsKey);
    Collections.sort(unknown);
    if (!unknown.isEmpty()) {
      throw new ConfigException(configFile + ": unknown key(s) " + String.join(", ", unknown), null);
    }
    List<String> lines = new ArrayList<>();
    loader.known.forEach((key, value) -> lines.add(key + " = " + value));
    return new Checked(config, lines);
  }

  /**
   * A checked configuration and what it sets, a {@code key = value (from where)} line per key; secrets show only
   * whether they are set.
   */
  public record Checked(ServerConfig config, List<String> lines) {
    public Checked {
      lines = List.copyOf(lines);
    }
  }

  /** Every key the server reads, e.g. {@code messages.queue-ttl}. */
  public static Set<String> knownKeys() {
    ConfigLoader loader = new ConfigLoader(MissingNode.getInstance(), Map.of());
    loader.build();
    return Set.copyOf(loader.known.keySet());
  }

  private static void collectKeys(JsonNode node, String prefix, List<String> keys) {
    node.fields().forEachRemaining(field -> {
      String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      if (field.getValue().isObject()) {
        collectKeys(field.getValue(), key, keys);
      } else {
        keys.add(key);
      }
    });
  }

  private static JsonNode readFile(Optional<Path> configFile) {
    JsonNode tree = MissingNode.getInstance();
    if (configFile.isPresent()) {
      try {
        tree = new TomlMapper().readTree(configFile.get().toFile());
      } catch (IOException e) {
        throw new ConfigException("Cannot read config file " + configFile.get() + ": " + e.getMessage(), e);
      }
    }
    return tree;
  }

  private ServerConfig build() {
    ServerConfig.DatabaseSettings database = database();
    String messageQueue = messageQueue(database);
    return new ServerConfig(
        string("server.host", "127.0.0.1"),
        integer("server.port", 8080),
        Path.of(string("server.data-dir", "./data")),
        duration("server.idle-timeout", "120s"),
        duration("server.shutdown-grace", "10s"),
        new ServerConfig.Connections(
            integer("server.max-connections-per-ip", 256),
            duration("server.request-timeout", "30s"),
            new ServerConfig.ProxyProtocol(
                bool("server.proxy-protocol", false),
                cidrs("server.trusted-proxies"),
                duration("server.proxy-header-timeout", "5s"))),
        optional("tls.certificate").map(Path::of),
        optional("tls.private-key").map(Path::of),
        database,
        messageQueue,
        size("storage.queue-segment-size", 64L << 20),
        bool("storage.queue-fsync", false),
        duration("messages.queue-ttl", "30d"),
        integer("messages.max-queue-per-device", 50_000),
        integer("messages.max-content-bytes", 64 * 1024),
        integer("messages.max-frame-bytes", 1024 * 1024),
        duration("messages.purge-interval", "1h"),
        duration("registration.code-lifetime", "10m"),
        integer("registration.max-attempts", 5),
        string("registration.sms-sender", "dev"),
        optional("registration.sms-webhook-url").map(URI::create),
        optional("registration.sms-webhook-token"),
        integer("auth.pbkdf2-iterations", 10_000),
        limit("rate-limits.sessions-per-number", "3/10m"),
        limit("rate-limits.sessions-per-ip", "20/1h"),
        limit("rate-limits.number-lookups", "300/1m"),
        limit("rate-limits.prekey-fetches", "300/1m"),
        limit("rate-limits.message-sends", "2000/1s"),
        limit("rate-limits.failed-logins-per-network", "20/1m"),
        new ServerConfig.Turn(
            bool("turn.embedded", true),
            string("turn.listening-ip", string("server.host", "127.0.0.1")),
            integer("turn.listening-port", 3478),
            integer("turn.min-port", 49152),
            integer("turn.max-port", 65535),
            string("turn.realm", "parley"),
            optional("turn.static-auth-secret"),
            optional("turn.external-ip"),
            bool("turn.allow-loopback-peers", false),
            optional("turn.urls").map(v -> Arrays.stream(v.split(","))
                .map(String::trim).filter(u -> !u.isEmpty()).toList()).orElse(List.of()),
            duration("turn.credential-ttl", "12h"),
            // The embedded server shares the process's file descriptors with the signaling port: bounded by default.
            integer("turn.total-quota", 256),
            integer("turn.ip-quota", 16),
            integer("turn.max-tcp-connections", 256),
            integer("turn.max-tcp-connections-per-ip", 16)),
        new ServerConfig.Linking(
            duration("linking.code-lifetime", "10m"),
            duration("linking.provisioning-lifetime", "5m"),
            integer("linking.max-linked-devices", 5),
            limit("rate-limits.provisioning-per-ip", "30/10m")),
        new ServerConfig.Attachments(
            choice("attachments.store", "local", "local", "s3"),
            positiveSize("attachments.max-size", 100L << 20),
            duration("attachments.ttl", "30d"),
            duration("attachments.upload-ttl", "1d"),
            positive("attachments.max-pending-per-account", 50),
            positive("attachments.max-per-account", 10_000),
            positiveSize("attachments.quota-per-account", 10L << 30),
            positive("attachments.max-concurrent-uploads", 64),
            positive("attachments.max-concurrent-downloads", 256),
            size("attachments.upload-min-rate", 1024),
            duration("attachments.upload-rate-window", "30s"),
            duration("attachments.sweep-interval", "10m"),
            size("attachments.min-free-disk", 1L << 30),
            limit("rate-limits.attachment-reservations", "200/1h"),
            new ServerConfig.S3(
                optional("attachments.s3.endpoint").map(URI::create),
                string("attachments.s3.bucket", ""),
                string("attachments.s3.region", "us-east-1"),
                optional("attachments.s3.access-key"),
                optional("attachments.s3.secret-key"),
                string("attachments.s3.prefix", ""),
                bool("attachments.s3.path-style", true),
                size("attachments.s3.part-size", 8L << 20))),
        new ServerConfig.QueueShares(
            integer("messages.max-queue-from-strangers", 5_000),
            integer("messages.max-queue-per-stranger", 1_000),
            positiveSize("storage.queue-max-bytes", 16L << 30),
            size("storage.min-free-disk", 256L << 20)),
        new ServerConfig.RegistrationGuard(
            duration("registration.backoff-base", "1m"),
            positive("registration.free-sessions", 3),
            duration("registration.lock-lapses-after", "7d"),
            limit("rate-limits.registration-lock-attempts", "10/1d")),
        new ServerConfig.Admin(
            string("admin.host", "127.0.0.1"),
            integer("admin.port", 8081)),
        cluster(database, messageQueue));
  }

  private ServerConfig.ClusterSettings cluster(ServerConfig.DatabaseSettings database, String messageQueue) {
    Optional<String> redisUrl = optional("cluster.redis-url");
    Duration poll = duration("cluster.poll-interval", "5s");
    if (poll.isZero() || poll.isNegative()) {
      throw new ConfigException("cluster.poll-interval must be positive, not " + poll, null);
    }
    Duration accountCacheTtl = duration("cluster.account-cache-ttl", "30s");
    if (accountCacheTtl.isZero() || accountCacheTtl.isNegative()) {
      throw new ConfigException("cluster.account-cache-ttl must be positive, not " + accountCacheTtl, null);
    }
    if (redisUrl.isPresent() && !redisUrl.get().startsWith("redis://") && !redisUrl.get().startsWith("rediss://")) {
      throw new ConfigException("cluster.redis-url takes redis://HOST:PORT (or rediss:// for TLS), not '"
          + redisUrl.get() + "'", null);
    }
    if (redisUrl.isPresent() && !database.postgres()) {
      throw new ConfigException("cluster.redis-url: several servers share one database; set storage.backend ="
          + " \"postgres\" and database.url", null);
    }
    if (redisUrl.isPresent() && !messageQueue.equals("database")) {
      throw new ConfigException("cluster.redis-url: the log queue is one server's own; with several servers write"
          + " storage.message-queue = \"database\" (the default on postgres)", null);
    }
    return new ServerConfig.ClusterSettings(redisUrl, poll, accountCacheTtl);
  }

  static String envName(String key) {
    return "PARLEY_" + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private Optional<String> optional(String key) {
    String fromEnv = env.get(envName(key));
    if (fromEnv != null && !fromEnv.isBlank()) {
      known.put(key, shown(key, fromEnv) + "   (environment " + envName(key) + ")");
      return Optional.of(fromEnv);
    }
    Optional<String> fromFile = fromFile(key);
    known.put(key, fromFile.map(v -> shown(key, v) + "   (file)").orElse("(not set)"));
    return fromFile;
  }

  private static final Pattern SECRET = Pattern.compile(".*(password|secret|token|access-key).*");

  private static String shown(String key, String value) {
    return SECRET.matcher(key).matches() ? "(set, not shown)" : value.isEmpty() ? "\"\"" : value;
  }

  private Optional<String> fromFile(String key) {
    JsonNode node = file;
    for (String part : key.split("\\.")) {
      node = node.path(part);
    }
    if (node.isArray()) {
      // Lists are kept as comma-separated text, the same form the environment uses.
      List<String> items = new ArrayList<>();
      node.forEach(item -> items.add(item.asText()));
      return items.isEmpty() ? Optional.empty() : Optional.of(String.join(",", items));
    }
    return node.isMissingNode() || node.isNull() || node.asText().isBlank() ? Optional.empty()
        : Optional.of(node.asText());
  }

  private ServerConfig.DatabaseSettings database() {
    String backend = choice("storage.backend", "h2", "h2", "postgres");
    Optional<String> url = optional("database.url");
    String user = string("database.user", "sa");
    String password = string("database.password", "");
    int poolSize = positive("database.pool-size", 16);
    if (backend.equals("postgres") && url.isEmpty()) {
      throw new ConfigException("storage.backend = \"postgres\" needs database.url, like"
          + " jdbc:postgresql://db.example.org:5432/parley", null);
    }
    String prefix = backend.equals("postgres") ? "jdbc:postgresql:" : "jdbc:h2:";
    if (url.isPresent() && !url.get().startsWith(prefix)) {
      throw new ConfigException("database.url: storage.backend = \"" + backend + "\" takes a URL starting with "
          + prefix + ", not '" + url.get() + "'", null);
    }
    return new ServerConfig.DatabaseSettings(backend, url, user, password, poolSize);
  }

  /** The log by default on H2 (one machine); in the database on PostgreSQL, which several servers share. */
  private String messageQueue(ServerConfig.DatabaseSettings database) {
    String value = choice("storage.message-queue", database.postgres() ? "database" : "log", "log", "database",
        "h2");
    if (value.equals("h2") && database.postgres()) {
      throw new ConfigException("storage.message-queue: \"h2\" is the older name of \"database\" and means H2;"
          + " with storage.backend = \"postgres\" write \"database\"", null);
    }
    return value.equals("h2") ? "database" : value;
  }

  private String string(String key, String fallback) {
    Optional<String> set = optional(key);
    if (set.isEmpty()) {
      known.put(key, shown(key, fallback) + "   (default)");
    }
    return set.orElse(fallback);
  }

  private int integer(String key, int fallback) {
    String value = string(key, Integer.toString(fallback));
    try {
      return Integer.parseInt(value.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new ConfigException(key + ": not a whole number: '" + value + "'", e);
    }
  }

  private boolean bool(String key, boolean fallback) {
    String value = string(key, Boolean.toString(fallback)).trim();
    if (!value.equals("true") && !value.equals("false")) {
      throw new ConfigException(key + ": not true or false: '" + value + "'", null);
    }
    return Boolean.parseBoolean(value);
  }

  private String choice(String key, String fallback, String... allowed) {
    String value = string(key, fallback).trim();
    if (!Arrays.asList(allowed).contains(value)) {
      throw new ConfigException(key + ": must be one of " + String.join(", ", allowed) + ", not '" + value + "'", null);
    }
    return value;
  }

  private int positive(String key, int fallback) {
    int value = integer(key, fallback);
    if (value < 1) {
      throw new ConfigException(key + ": must be at least 1, not " + value, null);
    }
    return value;
  }

  private long positiveSize(String key, long fallback) {
    long value = size(key, fallback);
    if (value < 1) {
      throw new ConfigException(key + ": must be at least 1 byte, not " + value, null);
    }
    return value;
  }

  /** Bytes, with an optional k/m/g/t suffix (powers of 1024). */
  private long size(String key, long fallback) {
    String value = string(key, Long.toString(fallback)).trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (value.endsWith("k") || value.endsWith("m") || value.endsWith("g") || value.endsWith("t")) {
      unit = value.endsWith("k") ? 1L << 10 : value.endsWith("m") ? 1L << 20 : value.endsWith("g") ? 1L << 30 : 1L << 40;
      value = value.substring(0, value.length() - 1);
    }
    try {
      return Long.parseLong(value.replace("_", "")) * unit;
    } catch (NumberFormatException e) {
      throw new ConfigException(key + ": not a size (like 65536, 64m, 1g): '" + value + "'", e);
    }
  }

  /** A list of address ranges (comma-separated in the environment); empty: loopback. */
  private List<Cidr> cidrs(String key) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      known.put(key, "[] (loopback: " + Cidr.LOOPBACK + ")   (default)");
      return Cidr.LOOPBACK;
    }
    List<Cidr> ranges = new ArrayList<>();
    for (String item : value.get().split(",")) {
      if (item.isBlank()) {
        continue;
      }
      try {
        ranges.add(Cidr.parse(item));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + ": " + e.getMessage(), e);
      }
    }
    return ranges.isEmpty() ? Cidr.LOOPBACK : ranges;
  }

  private Duration duration(String key, String fallback) {
    return parseDuration(key, string(key, fallback));
  }

  static Duration parseDuration(String key, String value) {
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches()) {
      throw new ConfigException(key + ": not a duration (like 500ms, 90s, 10m, 1h, 30d): '" + value + "'", null);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private Limit limit(String key, String fallback) {
    String value = string(key, fallback);
    Matcher m = LIMIT.matcher(value.trim());
    if (!m.matches()) {
      throw new ConfigException(key + ": not a rate limit (like 3/10m): '" + value + "'", null);
    }
    int count = Integer.parseInt(m.group(1));
    Duration period = parseDuration(key, m.group(2));
    if (count < 1) {
      throw new ConfigException(key + ": the count must be at least 1", null);
    }
    return new Limit(count, period.dividedBy(count).isZero() ? Duration.ofNanos(1) : period.dividedBy(count));
  }
}
