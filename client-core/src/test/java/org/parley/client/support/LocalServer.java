package org.parley.client.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;

/** The real signaling server, in this JVM, on a loopback port, with its own data directory. */
public final class LocalServer implements AutoCloseable {

  public final Path dataDir;
  private final Map<String, String> settings;
  private ParleyServer server;
  private int port;

  private LocalServer(Path dataDir, Map<String, String> settings) throws IOException, InterruptedException {
    this.dataDir = dataDir;
    this.settings = settings;
    this.server = ParleyServer.start(ConfigLoader.load(Optional.empty(), env(0)));
    this.port = server.port();
  }

  public static LocalServer start() throws IOException, InterruptedException {
    return start(Map.of());
  }

  public static LocalServer start(Map<String, String> settings) throws IOException, InterruptedException {
    return new LocalServer(Files.createTempDirectory("parley-server"), settings);
  }

  private Map<String, String> env(int wantedPort) {
    Map<String, String> env = new HashMap<>();
    env.put("PARLEY_SERVER_PORT", Integer.toString(wantedPort));
    env.put("PARLEY_SERVER_DATA_DIR", dataDir.toString());
    env.put("PARLEY_SERVER_SHUTDOWN_GRACE", "1s");
    env.put("PARLEY_RATE_LIMITS_SESSIONS_PER_NUMBER", "100/1m");
    env.put("PARLEY_RATE_LIMITS_SESSIONS_PER_IP", "1000/1m");
    env.put("PARLEY_AUTH_PBKDF2_ITERATIONS", "1000");
    // Messaging tests need no TURN; the embedded one would take the fixed port 3478 once per server.
    env.put("PARLEY_TURN_EMBEDDED", "false");
    env.putAll(settings);
    return env;
  }

  /** http://127.0.0.1:PORT, or https://localhost:PORT when the server was started with a TLS certificate. */
  public URI url() {
    return settings.containsKey("PARLEY_TLS_CERTIFICATE") ? URI.create("https://localhost:" + port)
        : URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /** Stops the server (clients see "going away") and starts it again on the same port and data. */
  public void restart() throws IOException, InterruptedException {
    server.close();
    server = ParleyServer.start(ConfigLoader.load(Optional.empty(), env(port)));
  }

  public void stop() {
    server.close();
  }

  /** The last code the dev SMS sender wrote for {@code number}. */
  public String lastCode(String number) throws IOException {
    List<String> lines = Files.readAllLines(dataDir.resolve("dev-sms.txt"));
    for (int i = lines.size() - 1; i >= 0; i--) {
      String[] parts = lines.get(i).trim().split("\\s+");
      if (parts.length >= 2 && parts[0].equals(number)) {
        return parts[parts.length - 1];
      }
    }
    throw new IllegalStateException("no code sent to " + number);
  }

  /** Messages the server holds for delivery right now. */
  public long queued() {
    return server.queue().totalDepth();
  }

  /** Messages the server holds for one device. */
  public long queued(String accountId, int deviceId) {
    return server.queue().depth(new org.parley.server.storage.DeviceAddress(accountId, deviceId));
  }

  @Override
  public void close() {
    server.close();
  }
}
