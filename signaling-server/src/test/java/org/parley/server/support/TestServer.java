package org.parley.server.support;

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
import org.parley.server.config.ServerConfig;

/** A real server on a free loopback port with its own data directory and a clock the test controls. */
public final class TestServer implements AutoCloseable {

  public final Path dataDir;
  public final MutableClock clock = new MutableClock();
  public final ParleyServer server;
  public final Api api;

  private TestServer(Path dataDir, Map<String, String> settings) throws IOException, InterruptedException {
    this.dataDir = dataDir;
    Map<String, String> env = new HashMap<>();
    env.put("PARLEY_SERVER_PORT", "0");
    env.put("PARLEY_SERVER_DATA_DIR", dataDir.toString());
    env.put("PARLEY_TURN_LISTENING_PORT", "0");
    // Generous limits unless a test is about them.
    env.put("PARLEY_RATE_LIMITS_SESSIONS_PER_NUMBER", "100/1m");
    env.put("PARLEY_RATE_LIMITS_SESSIONS_PER_IP", "1000/1m");
    env.putAll(settings);
    ServerConfig config = ConfigLoader.load(Optional.empty(), env);
    this.server = ParleyServer.start(config, clock);
    this.api = new Api(URI.create("http://127.0.0.1:" + server.port()), dataDir);
  }

  public static TestServer start() throws IOException, InterruptedException {
    return start(Map.of());
  }

  /** {@code settings} are environment-style overrides, e.g. {@code PARLEY_MESSAGES_MAX_QUEUE_PER_DEVICE}. */
  public static TestServer start(Map<String, String> settings) throws IOException, InterruptedException {
    return new TestServer(Files.createTempDirectory("parley-test"), settings);
  }

  public static TestServer restart(Path dataDir) throws IOException, InterruptedException {
    return new TestServer(dataDir, Map.of());
  }

  /** A new server on the data directory of a stopped one, with the same {@code settings} it had. */
  public static TestServer restart(Path dataDir, Map<String, String> settings)
      throws IOException, InterruptedException {
    return new TestServer(dataDir, settings);
  }

  public URI webSocketUri() {
    return URI.create("ws://127.0.0.1:" + server.port() + "/v1/websocket");
  }

  /** The last code the dev SMS sender wrote for {@code number}. */
  public String lastCode(String number) throws IOException {
    return lastCode(dataDir, number);
  }

  static String lastCode(Path dataDir, String number) throws IOException {
    List<String> lines = Files.readAllLines(dataDir.resolve("dev-sms.txt"));
    for (int i = lines.size() - 1; i >= 0; i--) {
      String[] parts = lines.get(i).split(" ");
      if (parts[0].equals(number)) {
        return parts[1];
      }
    }
    throw new IllegalStateException("no code sent to " + number);
  }

  @Override
  public void close() {
    server.close();
  }
}
