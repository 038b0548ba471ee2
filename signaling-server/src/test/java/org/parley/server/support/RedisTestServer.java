package org.parley.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway Redis server for tests: the machine's {@code redis-server} (Debian's {@code redis-server} package, or
 * {@code PARLEY_REDIS_SERVER}) on a free loopback port, without persistence ({@code --save '' --appendonly no}), in a
 * temporary directory. {@link #stop} and {@link #start} again keep the port, so a test can take Redis away from
 * running servers and give it back (empty, as after a real restart without persistence).
 */
public final class RedisTestServer implements AutoCloseable {

  private final Path dir;
  private final int port;
  private Process process;

  private RedisTestServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts a new server on a free port. */
  public static RedisTestServer start() {
    try {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      RedisTestServer server = new RedisTestServer(Files.createTempDirectory("parley-redis"), port);
      server.startAgain();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the stopped server again on the same port, empty. */
  public synchronized void startAgain() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("redis-server already runs on port " + port);
    }
    String binary = System.getenv().getOrDefault("PARLEY_REDIS_SERVER", "/usr/bin/redis-server");
    if (!Files.isExecutable(Path.of(binary))) {
      throw new IllegalStateException("No " + binary + ": install Debian's redis-server package (scripts/test-all.sh"
          + " does) or set PARLEY_REDIS_SERVER to the redis-server binary");
    }
    try {
      process = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--loglevel", "warning"))
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!"+PONG".equals(ping())) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String log = readLog();
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not start on port " + port + ":\n" + log);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Kills the server at once, as a crash would; the port stays this server's for {@link #startAgain}. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  public int port() {
    return port;
  }

  /** redis://127.0.0.1:PORT, the form {@code cluster.redis-url} takes. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** The server's answer to PING in the wire protocol ("+PONG"), or null when it does not answer. */
  private String ping() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] answer = new byte[5];
      int read = in.readNBytes(answer, 0, answer.length);
      return new String(answer, 0, read, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return null;
    }
  }

  private String readLog() {
    try {
      return Files.readString(dir.resolve("redis.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("deleting " + dir + ": " + e.getMessage());
    }
  }
}
