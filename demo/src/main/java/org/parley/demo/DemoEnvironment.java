package org.parley.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.desktop.settings.SettingsStore;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;

/**
 * {@code --demo}: the signaling server in this process on a free loopback port with its own data directory, and
 * the Echo bot registered on it (it answers messages and calls). The person's own number is {@link #USER_NUMBER}; its code is read from the
 * server's development SMS outbox.
 */
public final class DemoEnvironment implements AutoCloseable {

  public static final String USER_NUMBER = "+15550100001";
  public static final String ECHO_NUMBER = "+15550100000";
  public static final String ECHO_NAME = "Echo";

  private final ParleyServer server;
  private final Path serverDir;
  private final DevSmsOutbox outbox;
  private final EchoBot echo;

  private DemoEnvironment(ParleyServer server, Path serverDir, EchoBot echo) {
    this.server = server;
    this.serverDir = serverDir;
    this.outbox = new DevSmsOutbox(serverDir);
    this.echo = echo;
  }

  /** Starts the server in {@code root/server} and registers and connects Echo in {@code root/echo}. */
  public static DemoEnvironment start(Path root, long echoTypingMillis) throws IOException, ParleyException {
    Path serverDir = Files.createDirectories(root.resolve("server"));
    ParleyServer server;
    try {
      server = ParleyServer.start(ConfigLoader.load(Optional.empty(), Map.of(
          "PARLEY_SERVER_PORT", "0",
          "PARLEY_SERVER_DATA_DIR", serverDir.toString(),
          "PARLEY_SERVER_SHUTDOWN_GRACE", "1s",
          "PARLEY_ADMIN_PORT", "-1", // nobody scrapes the demo; a fixed port could be taken
          // Calls: the embedded STUN/TURN server on a free port; everything here is on loopback.
          "PARLEY_TURN_LISTENING_PORT", "0",
          "PARLEY_TURN_ALLOW_LOOPBACK_PEERS", "true")));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while starting the demo server", e);
    }
    URI url = URI.create("http://127.0.0.1:" + server.port());
    ParleyClient echoClient = null;
    try {
      echoClient = ParleyClient.open(ClientOptions.of(root.resolve("echo"), url));
      DevSmsOutbox outbox = new DevSmsOutbox(serverDir);
      echoClient.requestCode(ECHO_NUMBER);
      echoClient.verify(outbox.codeFor(ECHO_NUMBER).orElseThrow(() ->
          new ParleyException("The demo server wrote no code for Echo")));
      echoClient.connect();
      Path tone = EchoBot.writeTone(root.resolve("echo-tone.wav"));
      return new DemoEnvironment(server, serverDir, new EchoBot(echoClient, echoTypingMillis, tone, 1500));
    } catch (ParleyException | RuntimeException e) {
      if (echoClient != null) {
        echoClient.close();
      }
      server.close();
      throw e;
    }
  }

  public URI serverUrl() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  public DevSmsOutbox codes() {
    return outbox;
  }

  public Path serverDir() {
    return serverDir;
  }

  /** Registers the person's client with the demo number (the code from the outbox). */
  public void registerUser(ParleyClient client) throws ParleyException {
    client.requestCode(USER_NUMBER);
    client.verify(outbox.codeFor(USER_NUMBER).orElseThrow(() ->
        new ParleyException("The demo server wrote no code for " + USER_NUMBER)));
  }

  /** Names Echo in the person's contacts and has Echo say hello. */
  public void introduceEcho(SettingsStore settings, String userNumber) throws IOException {
    settings.setContactName(ECHO_NUMBER, ECHO_NAME);
    echo.greet(userNumber);
  }

  public EchoBot echo() {
    return echo;
  }

  @Override
  public void close() {
    echo.close();
    server.close();
  }
}
