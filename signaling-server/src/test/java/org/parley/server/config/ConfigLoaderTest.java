package org.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  @Test
  void defaultsListenOnLoopback8080WithDataInDotData() {
    ServerConfig config = ConfigLoader.load(Optional.empty(), Map.of());
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.queueTtl()).isEqualTo(Duration.ofDays(30));
    assertThat(config.codeLifetime()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.maxCodeAttempts()).isEqualTo(5);
    assertThat(config.smsSender()).isEqualTo("dev");
    assertThat(config.messageQueue()).isEqualTo("log");
    assertThat(config.database()).isEqualTo(new ServerConfig.DatabaseSettings("h2", Optional.empty(), "sa", "", 16));
    assertThat(config.queueSegmentBytes()).isEqualTo(64L << 20);
    assertThat(config.queueFsync()).isFalse();
    assertThat(config.sessionsPerNumber().capacity()).isEqualTo(3);
    assertThat(config.sessionsPerNumber().refillEvery()).isEqualTo(Duration.ofSeconds(200));
  }

  @Test
  void theFileSetsValuesAndTheEnvironmentWins() throws Exception {
    Path file = Files.createTempFile("parley", ".toml");
    Files.writeString(file, """
        [server]
        host = "0.0.0.0"
        port = 9000

        [messages]
        queue-ttl = "7d"
        max-queue-per-device = 123

        [rate-limits]
        message-sends = "10/1s"

        [storage]
        message-queue = "h2"
        queue-segment-size = "16m"
        queue-fsync = true
        """);
    ServerConfig config = ConfigLoader.load(Optional.of(file), Map.of("PARLEY_SERVER_PORT", "9100"));
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(9100);
    assertThat(config.queueTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(config.maxQueuePerDevice()).isEqualTo(123);
    assertThat(config.messageSends().capacity()).isEqualTo(10);
    assertThat(config.messageSends().refillEvery()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.messageQueue()).as("h2, the older name").isEqualTo("database");
    assertThat(config.queueSegmentBytes()).isEqualTo(16L << 20);
    assertThat(config.queueFsync()).isTrue();
  }

  @Test
  void theAccountCacheTtlIsThirtySecondsUnlessSetAndMustBePositive() {
    assertThat(ConfigLoader.load(Optional.empty(), Map.of()).cluster().accountCacheTtl())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(ConfigLoader.load(Optional.empty(), Map.of("PARLEY_CLUSTER_ACCOUNT_CACHE_TTL", "5s")).cluster()
        .accountCacheTtl()).isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_CLUSTER_ACCOUNT_CACHE_TTL", "0s")))
        .hasMessageContaining("cluster.account-cache-ttl must be positive");
  }

  @Test
  void postgresNeedsItsUrlAndKeepsTheQueueInTheDatabase() {
    Map<String, String> env = Map.of("PARLEY_STORAGE_BACKEND", "postgres",
        "PARLEY_DATABASE_URL", "jdbc:postgresql://db.example.org/parley", "PARLEY_DATABASE_USER", "parley",
        "PARLEY_DATABASE_PASSWORD", "pw", "PARLEY_DATABASE_POOL_SIZE", "40");
    ServerConfig config = ConfigLoader.load(Optional.empty(), env);
    assertThat(config.database()).isEqualTo(new ServerConfig.DatabaseSettings("postgres",
        Optional.of("jdbc:postgresql://db.example.org/parley"), "parley", "pw", 40));
    assertThat(config.messageQueue()).isEqualTo("database");
    Map<String, String> withLog = new HashMap<>(env);
    withLog.put("PARLEY_STORAGE_MESSAGE_QUEUE", "log");
    assertThat(ConfigLoader.load(Optional.empty(), withLog).messageQueue()).isEqualTo("log");

    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_STORAGE_BACKEND", "postgres")))
        .hasMessageContaining("needs database.url");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_STORAGE_BACKEND", "postgres",
        "PARLEY_DATABASE_URL", "jdbc:h2:mem:x"))).hasMessageContaining("jdbc:postgresql:");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_DATABASE_URL",
        "jdbc:postgresql://db/parley"))).as("H2 is the default backend").hasMessageContaining("jdbc:h2:");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_STORAGE_BACKEND", "mysql")))
        .hasMessageContaining("storage.backend: must be one of h2, postgres");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_STORAGE_BACKEND", "postgres",
        "PARLEY_DATABASE_URL", "jdbc:postgresql://db/parley", "PARLEY_STORAGE_MESSAGE_QUEUE", "h2")))
        .hasMessageContaining("write \"database\"");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_DATABASE_POOL_SIZE", "0")))
        .hasMessageContaining("database.pool-size");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_MESSAGES_QUEUE_TTL", "forever")))
        .hasMessageContaining("messages.queue-ttl");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_SERVER_PORT", "eighty")))
        .hasMessageContaining("server.port");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_RATE_LIMITS_MESSAGE_SENDS", "lots")))
        .hasMessageContaining("rate-limits.message-sends");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_STORAGE_QUEUE_FSYNC", "yes")))
        .hasMessageContaining("storage.queue-fsync");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(),
        Map.of("PARLEY_SERVER_TRUSTED_PROXIES", "10.0.0.0/8, proxy.example.com")))
        .hasMessageContaining("server.trusted-proxies").hasMessageContaining("proxy.example.com");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_SERVER_TRUSTED_PROXIES", "10.0.0.0/33")))
        .hasMessageContaining("server.trusted-proxies").hasMessageContaining("prefix length");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(Path.of("/nonexistent.toml")), Map.of()))
        .hasMessageContaining("/nonexistent.toml");
  }

  @Test
  void trustedProxiesAreRangesAndDefaultToLoopback() throws Exception {
    ServerConfig.ProxyProtocol defaults = ServerConfig.defaults().connections().proxyProtocol();
    assertThat(defaults.enabled()).isFalse();
    assertThat(defaults.trustedProxies()).isEqualTo(Cidr.LOOPBACK);
    List<Cidr> trusted = ConfigLoader.load(Optional.empty(), Map.of("PARLEY_SERVER_TRUSTED_PROXIES",
        "10.1.2.0/24, fd00::/8, 192.0.2.7")).connections().proxyProtocol().trustedProxies();
    assertThat(trusted).extracting(Cidr::toString).containsExactly("10.1.2.0/24", "fd00:0:0:0:0:0:0:0/8",
        "192.0.2.7/32");
    assertThat(trusted.get(0).contains(InetAddress.getByName("10.1.2.200"))).isTrue();
    assertThat(trusted.get(0).contains(InetAddress.getByName("10.1.3.1"))).isFalse();
    assertThat(trusted.get(1).contains(InetAddress.getByName("fdab::1"))).isTrue();
    assertThat(trusted.get(1).contains(InetAddress.getByName("10.1.2.1"))).isFalse();
    assertThat(trusted.get(2).contains(InetAddress.getByName("192.0.2.8"))).isFalse();
  }

  @Test
  void attachmentDefaultsAndOverrides() throws Exception {
    ServerConfig.Attachments defaults = ConfigLoader.load(Optional.empty(), Map.of()).attachments();
    assertThat(defaults.store()).isEqualTo("local");
    assertThat(defaults.maxSize()).isEqualTo(100L << 20);
    assertThat(defaults.ttl()).isEqualTo(Duration.ofDays(30));
    assertThat(defaults.uploadTtl()).isEqualTo(Duration.ofDays(1));
    assertThat(defaults.s3().partSize()).isEqualTo(8L << 20);
    assertThat(defaults.s3().endpoint()).isEmpty();

    Path file = Files.createTempFile("parley", ".toml");
    Files.writeString(file, """
        [attachments]
        store = "s3"
        max-size = "2g"
        ttl = "7d"
        quota-per-account = "1t"

        [attachments.s3]
        endpoint = "http://127.0.0.1:9000"
        bucket = "media"
        access-key = "ak"
        secret-key = "sk"
        """);
    ServerConfig.Attachments a = ConfigLoader.load(Optional.of(file),
        Map.of("PARLEY_ATTACHMENTS_S3_BUCKET", "other")).attachments();
    assertThat(a.store()).isEqualTo("s3");
    assertThat(a.maxSize()).isEqualTo(2L << 30);
    assertThat(a.ttl()).isEqualTo(Duration.ofDays(7));
    assertThat(a.quotaBytesPerAccount()).isEqualTo(1L << 40);
    assertThat(a.s3().endpoint()).contains(URI.create("http://127.0.0.1:9000"));
    assertThat(a.s3().bucket()).isEqualTo("other");
    assertThat(a.s3().accessKey()).contains("ak");
  }

  @Test
  void badAttachmentSettingsNameTheKey() {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_ATTACHMENTS_STORE", "ftp")))
        .hasMessageContaining("attachments.store").hasMessageContaining("local, s3");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_ATTACHMENTS_MAX_SIZE", "0")))
        .hasMessageContaining("attachments.max-size");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PARLEY_ATTACHMENTS_MAX_SIZE", "lots")))
        .hasMessageContaining("attachments.max-size");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(),
        Map.of("PARLEY_ATTACHMENTS_MAX_CONCURRENT_UPLOADS", "0")))
        .hasMessageContaining("attachments.max-concurrent-uploads");
  }
}
