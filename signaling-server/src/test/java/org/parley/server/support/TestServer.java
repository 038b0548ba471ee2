package org.parley.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.MessageQueue;
import org.parley.testing.TestClock;

/**
 * The one way tests start the real signaling server: in this JVM, on a free loopback port, with its own data
 * directory and a clock the test controls. The server's own tests use it directly; everything built on client-core
 * reaches it through test-support's {@code ParleyServerExtension}.
 *
 * <p>Settings are environment-style overrides ({@code PARLEY_MESSAGES_MAX_QUEUE_PER_DEVICE} and so on, as
 * {@link ConfigLoader} reads them); a test's own settings win over the defaults below.
 */
public final class TestServer implements AutoCloseable {

  /**
   * What every test server runs with unless the test says otherwise: generous rate limits (unless a test is about
   * them), the cheapest password hashing the server accepts (each registration and login hashes once), and a short
   * shutdown grace so a stopping server does not hold the test up.
   */
  private static final Map<String, String> DEFAULTS = Map.of(
      "PARLEY_RATE_LIMITS_SESSIONS_PER_NUMBER", "100/1m",
      "PARLEY_RATE_LIMITS_SESSIONS_PER_IP", "1000/1m",
      // Every test client is on loopback: tests of revoked or wrong credentials must not lock the others out.
      "PARLEY_RATE_LIMITS_FAILED_LOGINS_PER_NETWORK", "10000/1m",
      "PARLEY_AUTH_PBKDF2_ITERATIONS", "1000",
      // Tests register numbers again and again; RegistrationGuardTest is about the backoff.
      "PARLEY_REGISTRATION_BACKOFF_BASE", "0s",
      "PARLEY_SERVER_SHUTDOWN_GRACE", "1s",
      // Any free port for /metrics: many servers run at once.
      "PARLEY_ADMIN_PORT", "0");

  /**
   * {@code -Dparley.test.storage=postgres} (or {@code PARLEY_TEST_STORAGE=postgres}): every test server keeps its
   * accounts, keys and messages in a database of its own on a throwaway PostgreSQL server ({@link
   * PostgresTestCluster}) instead of embedded H2 and the log queue, so the same tests check the PostgreSQL stores.
   */
  public static boolean postgres() {
    String chosen = System.getProperty("parley.test.storage", System.getenv("PARLEY_TEST_STORAGE"));
    return "postgres".equals(chosen);
  }

  /** A data directory's database, so a server started again on the same directory finds its data. */
  private static final Map<Path, String> POSTGRES_DATABASES = new ConcurrentHashMap<>();

  public final Path dataDir;
  public final TestClock clock;
  public final Api api;
  private final Map<String, String> settings;
  private volatile ParleyServer server;
  /** Kept apart from the server so that the URL holds while it is stopped, and a restart takes the same port. */
  private final int port;

  private TestServer(Path dataDir, Map<String, String> settings, TestClock clock)
      throws IOException, InterruptedException {
    this.dataDir = dataDir;
    this.settings = settings;
    this.clock = clock;
    this.server = ParleyServer.start(ConfigLoader.load(Optional.empty(), env(0)), clock);
    this.port = server.port();
    this.api = new Api(url(), dataDir);
  }

  /** A server without TURN, with the defaults. */
  public static TestServer start() throws IOException, InterruptedException {
    return builder().start();
  }

  /** A server without TURN, with {@code settings} over the defaults. */
  public static TestServer start(Map<String, String> settings) throws IOException, InterruptedException {
    return builder().settings(settings).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How the next server is to be started. */
  public static final class Builder {
    private final Map<String, String> settings = new LinkedHashMap<>();
    private boolean turn;
    private Path dataDir;

    private Builder() {}

    /**
     * The embedded STUN/TURN server on a free port, relaying to loopback peers (the clients of a test are all on
     * loopback). Without it, no UDP port is opened and calls get no relay candidates.
     */
    public Builder turn(boolean on) {
      this.turn = on;
      return this;
    }

    /** One environment-style setting, e.g. {@code setting("PARLEY_MESSAGES_MAX_CONTENT_BYTES", "4000")}. */
    public Builder setting(String name, String value) {
      if (!name.startsWith("PARLEY_")) {
        throw new IllegalArgumentException("server settings are named like environment variables (PARLEY_...), got "
            + name);
      }
      settings.put(name, value);
      return this;
    }

    public Builder settings(Map<String, String> more) {
      more.forEach(this::setting);
      return this;
    }

    /** Starts on an existing data directory (a fresh temporary one otherwise). */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    public TestServer start() throws IOException, InterruptedException {
      Map<String, String> env = new LinkedHashMap<>(DEFAULTS);
      if (turn) {
        env.put("PARLEY_TURN_EMBEDDED", "true");
        env.put("PARLEY_TURN_LISTENING_PORT", "0");
        env.put("PARLEY_TURN_ALLOW_LOOPBACK_PEERS", "true");
      } else {
        env.put("PARLEY_TURN_EMBEDDED", "false");
      }
      Path dir = dataDir != null ? dataDir : Files.createTempDirectory("parley-server");
      if (postgres()) {
        env.put("PARLEY_STORAGE_BACKEND", "postgres");
        env.put("PARLEY_DATABASE_URL", POSTGRES_DATABASES.computeIfAbsent(dir.toAbsolutePath(),
            d -> PostgresTestCluster.shared().newDatabase()));
        env.put("PARLEY_DATABASE_USER", PostgresTestCluster.USER);
      }
      env.putAll(settings);
      return new TestServer(dir, Map.copyOf(env), TestClock.followingSystemTime());
    }
  }

  private Map<String, String> env(int port) {
    Map<String, String> env = new LinkedHashMap<>(settings);
    env.put("PARLEY_SERVER_PORT", Integer.toString(port));
    env.put("PARLEY_SERVER_DATA_DIR", dataDir.toString());
    return env;
  }

  public int port() {
    return port;
  }

  /** http://127.0.0.1:PORT, or https://localhost:PORT (the name a test certificate carries) when serving TLS. */
  public URI url() {
    return tls() ? URI.create("https://localhost:" + port) : URI.create("http://127.0.0.1:" + port);
  }

  /** The admin port's address ({@code /metrics}, {@code /health}); it changes when the server restarts. */
  public URI adminUrl() {
    return URI.create("http://127.0.0.1:" + server.adminPort().orElseThrow() + "/");
  }

  /** The server's Prometheus text, from its admin port. */
  public String metrics() {
    try {
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(adminUrl().resolve("/metrics")).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("/metrics answered " + answer.statusCode());
      }
      return answer.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI webSocketUri() {
    return URI.create((tls() ? "wss://localhost:" : "ws://127.0.0.1:") + port + "/v1/websocket");
  }

  private boolean tls() {
    return settings.containsKey("PARLEY_TLS_CERTIFICATE");
  }

  /** The running server (a new one after {@link #restart}). */
  public ParleyServer server() {
    return server;
  }

  public MessageQueue queue() {
    return server.queue();
  }

  /** Messages the server holds for delivery right now, for every device. */
  public long queued() {
    return server.queue().totalDepth();
  }

  /** Messages the server holds for one device. */
  public long queued(String accountId, int deviceId) {
    return server.queue().depth(new DeviceAddress(accountId, deviceId));
  }

  /** Messages the server holds for one device. */
  public long queued(Api.Device device) {
    return queued(device.accountId(), device.deviceId());
  }

  /** The last code the dev SMS sender wrote for {@code number}. */
  public String lastCode(String number) throws IOException {
    return lastCode(dataDir, number);
  }

  static String lastCode(Path dataDir, String number) throws IOException {
    List<String> lines = Files.readAllLines(dataDir.resolve("dev-sms.txt"));
    for (int i = lines.size() - 1; i >= 0; i--) {
      String[] parts = lines.get(i).trim().split("\\s+");
      if (parts.length == 2 && parts[0].equals(number)) {
        return parts[1];
      }
    }
    throw new IllegalStateException("no code sent to " + number + " (dev-sms.txt has " + lines.size() + " lines)");
  }

  /** Stops the server: connected clients see "going away" (1001), new connections are refused. */
  public void stop() {
    server.close();
    api.dropConnections();
  }

  /** Stops the server if it runs and starts it again on the same port, data directory, settings and clock. */
  public void restart() throws IOException, InterruptedException {
    server.close();
    api.dropConnections();
    server = ParleyServer.start(ConfigLoader.load(Optional.empty(), env(port)), clock);
  }

  @Override
  public void close() {
    server.close();
  }
}
