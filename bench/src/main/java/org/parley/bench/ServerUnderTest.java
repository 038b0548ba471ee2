package org.parley.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.protocol.Route;

/**
 * A signaling server in its own process, started from the built jar with limits lifted for load (rate limits), so
 * that its memory and CPU can be read from /proc without the load generator mixed in.
 */
final class ServerUnderTest implements AutoCloseable {

  private static final String SERVER_MAIN = "org.parley.server.ServerMain";
  private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");
  private static final Pattern ADMIN = Pattern.compile("metrics on http://[^:]+:(\\d+)/metrics");

  final Process process;
  final int port;
  /** Where /metrics is: the server's admin port. */
  final int adminPort;
  final Path dataDir;

  private ServerUnderTest(Process process, int port, int adminPort, Path dataDir) {
    this.process = process;
    this.port = port;
    this.adminPort = adminPort;
    this.dataDir = dataDir;
  }

  static ServerUnderTest launch(Path serverJar, Path dataDir, List<String> jvmOptions) throws IOException {
    return launch(serverJar, dataDir, jvmOptions, Map.of());
  }

  /**
   * @param serverJar the server's jar, or null for the server on this JVM's class path
   * @param settings extra environment, e.g. {@code PARLEY_ATTACHMENTS_MAX_SIZE}
   */
  static ServerUnderTest launch(Path serverJar, Path dataDir, List<String> jvmOptions,
      Map<String, String> settings) throws IOException {
    return launch(serverJar, dataDir, jvmOptions, settings, true);
  }

  /**
   * A server with the limits it ships with, as an attacker meets them (the soak): only the two settings a
   * benchmark cannot run without, a free TURN port and a free admin port.
   */
  static ServerUnderTest launchWithDefaultLimits(Path serverJar, Path dataDir, List<String> jvmOptions,
      Map<String, String> settings) throws IOException {
    return launch(serverJar, dataDir, jvmOptions, settings, false);
  }

  private static ServerUnderTest launch(Path serverJar, Path dataDir, List<String> jvmOptions,
      Map<String, String> settings, boolean relaxLimits) throws IOException {
    Files.createDirectories(dataDir);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    if (serverJar != null) {
      command.addAll(List.of("-jar", serverJar.toString()));
    } else {
      // Tests: the server classes are on our own class path.
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), SERVER_MAIN));
    }
    command.addAll(List.of("serve", "--port", "0", "--data-dir", dataDir.toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(dataDir.resolve("server.log").toFile());
    if (relaxLimits) {
      relax(builder.environment());
    }
    builder.environment().put("PARLEY_TURN_LISTENING_PORT", "0");
    builder.environment().put("PARLEY_ADMIN_PORT", "0");
    builder.environment().putAll(settings);
    Process process = builder.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    int port = -1;
    while ((line = out.readLine()) != null) {
      Matcher listening = LISTENING.matcher(line);
      Matcher admin = ADMIN.matcher(line);
      if (listening.find()) {
        port = Integer.parseInt(listening.group(1));
      } else if (admin.find() && port > 0) {
        return new ServerUnderTest(process, port, Integer.parseInt(admin.group(1)), dataDir);
      }
    }
    throw new IOException("server did not start; see " + dataDir.resolve("server.log"));
  }

  /** Limits a load generator cannot run under: thousands of accounts from one address, none ever writing back. */
  private static void relax(Map<String, String> env) {
    env.put("PARLEY_RATE_LIMITS_SESSIONS_PER_NUMBER", "1000/1s");
    env.put("PARLEY_RATE_LIMITS_SESSIONS_PER_IP", "1000000/1s");
    env.put("PARLEY_REGISTRATION_BACKOFF_BASE", "0s");
    env.put("PARLEY_RATE_LIMITS_MESSAGE_SENDS", "1000000/1s");
    env.put("PARLEY_RATE_LIMITS_NUMBER_LOOKUPS", "1000000/1s");
    // Every simulated client connects from loopback: one address, thousands of connections.
    env.put("PARLEY_SERVER_MAX_CONNECTIONS_PER_IP", "1000000");
    env.put("PARLEY_RATE_LIMITS_FAILED_LOGINS_PER_NETWORK", "1000000/1s");
    // Simulated senders write to accounts that never write back: to the server they are all strangers.
    env.put("PARLEY_MESSAGES_MAX_QUEUE_FROM_STRANGERS", "1000000");
    env.put("PARLEY_MESSAGES_MAX_QUEUE_PER_STRANGER", "1000000");
  }

  URI http() {
    return URI.create("http://127.0.0.1:" + port);
  }

  URI webSocket() {
    return URI.create("ws://127.0.0.1:" + port + Route.WEBSOCKET.template());
  }

  /** Resident set size in bytes, from /proc. */
  long rssBytes() throws IOException {
    return MemorySampler.rssBytes(process.pid());
  }

  /** CPU seconds the server has used (user + system), from /proc. */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks / 100.0;
  }

  /** CPU ticks (1/100 s) per thread group of the server: thread names with their trailing numbers removed. */
  Map<String, Long> cpuTicksByThreadGroup() throws IOException {
    Map<String, Long> ticks = new TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(task.resolve("comm")).trim().replaceAll("[-#]?[0-9]+$", "");
          String stat = Files.readString(task.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
        } catch (IOException threadEnded) {
          // the thread ended while we looked
        }
      }
    }
    return ticks;
  }

  /** Heap in use right after a full GC the benchmark asks for with jcmd. */
  long heapAfterGcBytes() throws IOException, InterruptedException {
    Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start();
    gc.getInputStream().readAllBytes();
    gc.waitFor(60, TimeUnit.SECONDS);
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    long heap = 0;
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return heap;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
