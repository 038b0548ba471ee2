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
 * the Echo bot registered on it (it answers messages and calls), with a second bot, Nova, for the demo group. The person's own number is {@link #USER_NUMBER}; its code is read from the
 * server's development SMS outbox.
 */
public final class DemoEnvironment implements AutoCloseable {

  public static final String USER_NUMBER = "+15550100001";
  public static final String ECHO_NUMBER = "+15550100000";
  public static final String ECHO_NAME = "Echo";
  public static final String NOVA_NUMBER = "+15550100009";
  public static final String NOVA_NAME = "Nova";

  private final ParleyServer server;
  private final Path serverDir;
  private final DevSmsOutbox outbox;
  private final EchoBot echo;
  private final ParleyClient nova;
  private final DemoGroup group;

  private DemoEnvironment(ParleyServer server, Path serverDir, EchoBot echo, ParleyClient nova, long typingMillis) {
    this.server = server;
    this.serverDir = serverDir;
    this.outbox = new DevSmsOutbox(serverDir);
    this.echo = echo;
    this.nova = nova;
    this.group = new DemoGroup(echo.client(), nova, typingMillis);
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
    ParleyClient novaClient = null;
    try {
      DevSmsOutbox outbox = new DevSmsOutbox(serverDir);
      echoClient = bot(root.resolve("echo"), url, ECHO_NUMBER, outbox);
      novaClient = bot(root.resolve("nova"), url, NOVA_NUMBER, outbox);
      Path tone = EchoBot.writeTone(root.resolve("echo-tone.wav"));
      return new DemoEnvironment(server, serverDir, new EchoBot(echoClient, echoTypingMillis, tone, 1500),
          novaClient, echoTypingMillis);
    } catch (ParleyException | RuntimeException e) {
      if (echoClient != null) {
        echoClient.close();
      }
      if (novaClient != null) {
        novaClient.close();
      }
      server.close();
      throw e;
    }
  }

  /** Registers and connects a bot. */
  private static ParleyClient bot(Path dir, URI url, String number, DevSmsOutbox outbox) throws ParleyException {
    ParleyClient client = ParleyClient.open(ClientOptions.of(dir, url));
    try {
      client.requestCode(number);
      client.verify(outbox.codeFor(number).orElseThrow(() ->
          new ParleyException("The demo server wrote no code for " + number)));
      client.connect();
      return client;
    } catch (ParleyException | RuntimeException e) {
      client.close();
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

  /** Names Echo and Nova in the person's contacts, has Echo say hello, and puts the three in the demo group. */
  public void introduceEcho(SettingsStore settings, String userNumber) throws IOException {
    settings.setContactName(ECHO_NUMBER, ECHO_NAME);
    settings.setContactName(NOVA_NUMBER, NOVA_NAME);
    echo.greet(userNumber);
    group.create(userNumber);
  }

  public DemoGroup group() {
    return group;
  }

  public EchoBot echo() {
    return echo;
  }

  @Override
  public void close() {
    group.close();
    nova.close();
    echo.close();
    server.close();
  }
}
