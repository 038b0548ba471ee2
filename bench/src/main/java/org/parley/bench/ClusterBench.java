package org.parley.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.protocol.Route;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The single-node default against 1, 2 and 3 nodes on PostgreSQL + Redis (issue #15, ADR 0151), in one run: for
 * each, a closed-loop phase (throughput, p50/p99) and a paced phase at a fixed rate (p50/p99 there), with the CPU of
 * every server process plus PostgreSQL (postmaster and its backends) and Redis (and HAProxy when used) per message
 * delivered; then idle connections spread over the nodes (round robin directly, leastconn through HAProxy) and the
 * memory per connection across the cluster: nodes, PostgreSQL, Redis and HAProxy ({@link ClusterMemory}). The
 * PostgreSQL and Redis servers are given (bench/scripts/cluster-bench.sh starts them); the nodes and HAProxy are
 * started here. In a cluster every pair's sender and receiver are on different nodes, so every message crosses.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Single node (H2) vs 1-3 nodes on PostgreSQL + Redis: throughput, p50/p99, CPU per message.")
final class ClusterBench extends ParleyBench.Common implements Callable<Integer> {

  @Option(names = "--nodes", split = ",", defaultValue = "0,1,2,3",
      description = "Configurations: 0 is the single-node default (H2, log queue), N >= 1 is N nodes on PostgreSQL +"
          + " Redis.") List<Integer> nodes;
  @Option(names = {"-p", "--pairs"}, defaultValue = "100") int pairs;
  @Option(names = {"-w", "--window"}, defaultValue = "5") int window;
  @Option(names = {"-s", "--seconds"}, defaultValue = "15") int seconds;
  @Option(names = "--warmup", defaultValue = "5") int warmup;
  @Option(names = "--rate", defaultValue = "20000", description = "Paced phase: messages/s offered (0: none).")
  int rate;
  @Option(names = "--idle", defaultValue = "1000", description = "Idle connections for the memory figure (0: none).")
  int idle;
  @Option(names = "--size", defaultValue = "160") int size;
  @Option(names = "--postgres-url", description = "jdbc:postgresql://HOST:PORT/ (a database per run is created)")
  String postgresUrl;
  @Option(names = "--postgres-user", defaultValue = "parley") String postgresUser;
  @Option(names = "--postgres-pid", defaultValue = "0", description = "The postmaster's pid, for its CPU.")
  long postgresPid;
  @Option(names = "--redis-url") String redisUrl;
  @Option(names = "--redis-pid", defaultValue = "0") long redisPid;
  @Option(names = "--haproxy", description = "haproxy binary: also run every cluster through it.") Path haproxy;

  private record Result(String name, int nodes, double rate, double p50, double p99, double cpuMicros,
      String cpuSplit, double pacedRate, double pacedP50, double pacedP99, double pacedCpuMicros, long failed) {}

  private final List<Result> results = new ArrayList<>();
  private final List<String> idleLines = new ArrayList<>();
  private final List<String> profiles = new ArrayList<>();
  private int run;

  @Override
  public Integer call() throws Exception {
    System.out.println("load average at start: " + loadAverage());
    startClientLoops();
    try {
      for (int n : nodes) {
        if (n == 0) {
          measure("single node, H2 + log queue (default)", 0, false);
        } else {
          measure(n + " node" + (n > 1 ? "s" : "") + ", PostgreSQL + Redis, direct", n, false);
          if (haproxy != null && Files.isExecutable(haproxy)) {
            measure(n + " node" + (n > 1 ? "s" : "") + ", PostgreSQL + Redis, HAProxy", n, true);
          }
        }
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    System.out.println("load average at end: " + loadAverage());
    System.out.println();
    System.out.printf("%-46s %9s %8s %8s %10s | %9s %8s %8s %10s%n", "configuration", "msg/s", "p50 ms", "p99 ms",
        "CPU µs/msg", "paced/s", "p50 ms", "p99 ms", "CPU µs/msg");
    double base = results.stream().filter(r -> r.nodes() == 0).mapToDouble(Result::cpuMicros).findFirst().orElse(0);
    for (Result r : results) {
      System.out.printf("%-46s %9.0f %8.2f %8.2f %10.1f | %9.0f %8.2f %8.2f %10.1f%s%n", r.name(), r.rate(), r.p50(),
          r.p99(), r.cpuMicros(), r.pacedRate(), r.pacedP50(), r.pacedP99(), r.pacedCpuMicros(),
          base > 0 && r.nodes() > 0 ? String.format("  (%.2f× single-node CPU/msg)", r.cpuMicros() / base) : "");
    }
    for (Result r : results) {
      System.out.printf("CPU split, %s: %s; failed sends %d%n", r.name(), r.cpuSplit(), r.failed());
    }
    profiles.forEach(p -> System.out.println("nodes' CPU by thread group (µs/msg), closed loop, " + p));
    idleLines.forEach(System.out::println);
    return 0;
  }

  private void measure(String name, int n, boolean throughHaproxy) throws Exception {
    run++;
    System.out.println("== " + name);
    Map<String, String> settings = new HashMap<>();
    if (n > 0) {
      if (postgresUrl == null || redisUrl == null) {
        throw new IllegalArgumentException("--postgres-url and --redis-url are needed for clustered runs");
      }
      String database = "parley_bench_" + ProcessHandle.current().pid() + "_" + run;
      try (Connection c = DriverManager.getConnection(postgresUrl + "postgres", postgresUser, "");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + database);
      }
      settings.put("PARLEY_STORAGE_BACKEND", "postgres");
      settings.put("PARLEY_DATABASE_URL", postgresUrl + database);
      settings.put("PARLEY_DATABASE_USER", postgresUser);
      settings.put("PARLEY_STORAGE_MESSAGE_QUEUE", "database");
      settings.put("PARLEY_CLUSTER_REDIS_URL", redisUrl);
    }
    List<ServerUnderTest> servers = new ArrayList<>();
    Process balancer = null;
    Path base = Files.createTempDirectory("parley-cluster-bench");
    try {
      for (int i = 0; i < Math.max(1, n); i++) {
        ServerUnderTest server = ServerUnderTest.launch(serverJar, base.resolve("node" + (i + 1)), serverJvm,
            settings);
        System.out.println("node " + (i + 1) + ": pid " + server.process.pid() + ", port " + server.port);
        servers.add(server);
      }
      List<URI> webSockets = new ArrayList<>();
      if (throughHaproxy) {
        int port = freePort();
        balancer = startHaproxy(base, port, servers);
        webSockets.add(URI.create("ws://127.0.0.1:" + port + Route.WEBSOCKET.template()));
      } else {
        servers.forEach(s -> webSockets.add(s.webSocket()));
      }
      ServerUnderTest first = servers.get(0);
      List<Accounts.Account> accounts = Accounts.register(first.http(), first.dataDir, 2 * pairs, "57" + run);
      Load load = new Load(accounts, webSockets);
      List<Long> pids = new ArrayList<>();
      servers.forEach(s -> pids.add(s.process.pid()));
      if (balancer != null) {
        pids.add(balancer.pid());
      }

      // Closed loop: every pair keeps `window` messages in flight.
      load.startClosedLoop();
      Thread.sleep(warmup * 1000L);
      Map<String, Long> threadsBefore = threadTicks(servers);
      Phase closed = load.measure(pids, n > 0);
      String byThread = threadSplit(threadsBefore, threadTicks(servers), load.lastCount);
      load.stop();
      // Paced: `rate` messages/s offered, spread over the pairs.
      Phase paced = rate > 0 ? load.paced(pids, n > 0) : new Phase(0, 0, 0, 0, "");
      results.add(new Result(name, n, closed.rate(), closed.p50(), closed.p99(), closed.cpuMicros(),
          closed.split() + " | paced: " + paced.split(), paced.rate(), paced.p50(), paced.p99(), paced.cpuMicros(),
          load.failed.get()));
      System.out.printf("closed loop: %.0f msg/s, p50 %.2f ms, p99 %.2f ms, %.1f µs CPU/msg (%s)%n", closed.rate(),
          closed.p50(), closed.p99(), closed.cpuMicros(), closed.split());
      System.out.println("closed loop, the nodes' CPU by thread group (µs/msg):" + byThread);
      profiles.add(name + ":" + byThread);
      if (rate > 0) {
        System.out.printf("paced at %d/s: %.0f msg/s delivered, p50 %.2f ms, p99 %.2f ms, %.1f µs CPU/msg (%s)%n",
            rate, paced.rate(), paced.p50(), paced.p99(), paced.cpuMicros(), paced.split());
      }
      load.close();
      if (idle > 0) {
        idleLines.add(idleConnections(name, servers, first, n > 0, throughHaproxy ? webSockets.get(0) : null, balancer));
      }
    } finally {
      if (balancer != null) {
        balancer.destroy();
        balancer.waitFor(10, TimeUnit.SECONDS);
      }
      for (ServerUnderTest s : servers) {
        s.close();
      }
      // The nodes' data directories (a database each, logs): a run leaves nothing behind.
      try (var files = Files.walk(base)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  /**
   * Opens a connection, trying again when the handshake times out: a node that did not register the account checks
   * its password (PBKDF2) at the first login, which on a loaded machine can outlast the handshake timeout.
   */
  private WsConnection open(URI uri, String auth, WsConnection.Listener listener) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return WsConnection.open(group, channelType, uri, auth, listener).join();
      } catch (RuntimeException e) {
        if (attempt == 5) {
          throw e;
        }
        Thread.sleep(200L * attempt);
      }
    }
  }

  /**
   * Idle authenticated connections, spread round robin over the nodes or, through HAProxy, as its leastconn spreads
   * them (counted on each node's parley_connections gauge); the memory per connection of the nodes (heap after GC +
   * off-heap RSS growth) and, clustered, of every process of the cluster ({@link ClusterMemory}).
   */
  private String idleConnections(String name, List<ServerUnderTest> servers, ServerUnderTest first,
      boolean clustered, URI balancerWebSocket, Process balancer) throws Exception {
    List<Accounts.Account> accounts = Accounts.register(first.http(), first.dataDir, idle, "58" + run);
    long rssBefore = 0;
    for (ServerUnderTest s : servers) {
      rssBefore += s.rssBytes();
    }
    long balancerPid = balancer == null ? 0 : balancer.pid();
    ClusterMemory clusterBefore = ClusterMemory.measure(servers, postgresPid, redisPid, balancerPid);
    CountDownLatch drained = new CountDownLatch(idle);
    List<WsConnection> open = new ArrayList<>();
    for (int i = 0; i < accounts.size(); i++) {
      URI target = balancerWebSocket != null ? balancerWebSocket : servers.get(i % servers.size()).webSocket();
      open.add(open(target, accounts.get(i).basicAuth(),
          WsConnection.Listener.acking(drained, request -> { }, response -> { })));
    }
    drained.await(120, TimeUnit.SECONDS);
    Thread.sleep(3000);
    int[] perNode = new int[servers.size()];
    for (int i = 0; i < servers.size(); i++) {
      perNode[i] = ClusterMemory.connectedDevices(servers.get(i));
    }
    long rssAfter = 0;
    for (ServerUnderTest s : servers) {
      rssAfter += s.rssBytes();
    }
    ClusterMemory clusterAfter = ClusterMemory.measure(servers, postgresPid, redisPid, balancerPid);
    open.forEach(WsConnection::close);
    double heapPer = (clusterAfter.nodesHeap() - clusterBefore.nodesHeap()) / 1024.0 / idle;
    double rssPer = (rssAfter - rssBefore) / 1024.0 / idle;
    return String.format("idle, %s: %d connections (connected per node %s), the nodes' memory per connection %.1f kB"
        + " (heap after GC %.1f kB + off-heap RSS growth %.1f kB)%s", name, idle, Arrays.toString(perNode),
        heapPer + Math.max(0, rssPer), heapPer, rssPer,
        clustered ? "; across the cluster: " + clusterAfter.perConnection(clusterBefore, idle) : "");
  }

  /** CPU ticks per thread group summed over the nodes. */
  private static Map<String, Long> threadTicks(List<ServerUnderTest> servers) throws IOException {
    Map<String, Long> sum = new TreeMap<>();
    for (ServerUnderTest s : servers) {
      s.cpuTicksByThreadGroup().forEach((name, ticks) -> sum.merge(name, ticks, Long::sum));
    }
    return sum;
  }

  private static String threadSplit(Map<String, Long> before, Map<String, Long> after, long messages) {
    StringBuilder out = new StringBuilder();
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(8)
        .forEach(e -> out.append(String.format(" %s %.1f;", e.getKey(),
            messages == 0 ? 0 : e.getValue() * 10_000.0 / messages)));
    return out.toString();
  }

  private Process startHaproxy(Path dir, int port, List<ServerUnderTest> servers) throws Exception {
    StringBuilder cfg = new StringBuilder("""
        global
          maxconn 9000
        defaults
          mode tcp
          timeout connect 5s
          timeout client 1h
          timeout server 1h
        frontend parley
          bind 127.0.0.1:%d
          default_backend nodes
        backend nodes
          balance leastconn
        """.formatted(port));
    for (int i = 0; i < servers.size(); i++) {
      cfg.append("  server node").append(i + 1).append(" 127.0.0.1:").append(servers.get(i).port).append('\n');
    }
    Path file = dir.resolve("haproxy.cfg");
    Files.writeString(file, cfg);
    Process process = new ProcessBuilder(haproxy.toString(), "-db", "-f", file.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        System.out.println("HAProxy: pid " + process.pid() + ", port " + port + " (" + file + ")");
        return process;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IOException("haproxy did not start; see " + dir.resolve("haproxy.log"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  private record Phase(double rate, double p50, double p99, double cpuMicros, String split) {}

  /** CPU seconds (user + system) of a process, from /proc/PID/stat; with its children (reaped and live) if asked. */
  static double cpuSeconds(long pid, boolean withChildren) {
    if (pid <= 0) {
      return 0;
    }
    try {
      String[] f = statFields(pid);
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      if (withChildren) {
        ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
        try (var procs = Files.list(Path.of("/proc"))) {
          for (Path p : (Iterable<Path>) procs::iterator) {
            String fileName = p.getFileName().toString();
            if (!fileName.chars().allMatch(Character::isDigit)) {
              continue;
            }
            try {
              String[] c = statFields(Long.parseLong(fileName));
              if (Long.parseLong(c[1]) == pid) {
                ticks += Long.parseLong(c[11]) + Long.parseLong(c[12]);
              }
            } catch (IOException | RuntimeException gone) {
              // exited while we looked
            }
          }
        }
      }
      return ticks / 100.0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The fields of /proc/PID/stat after the command name: [0] is the state, [1] the parent pid. */
  private static String[] statFields(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }

  /** The pairs of one configuration; sender and receiver on different nodes when there are several. */
  private final class Load implements TimedPair.Outcomes {
    final List<TimedPair> all = new ArrayList<>();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    volatile boolean closedLoop;
    volatile boolean measuring;
    final Latencies latencies = new Latencies(1 << 22);
    long lastCount;

    Load(List<Accounts.Account> accounts, List<URI> webSockets) throws InterruptedException {
      CountDownLatch drained = new CountDownLatch(2 * pairs);
      int n = webSockets.size();
      for (int i = 0; i < pairs; i++) {
        TimedPair pair = new TimedPair(accounts.get(2 * i), accounts.get(2 * i + 1), size, this);
        all.add(pair);
        pair.senderConnection = open(webSockets.get(i % n), pair.sender.basicAuth(), pair.senderListener(drained));
        pair.receiverConnection = open(webSockets.get((i + 1) % n), pair.receiver.basicAuth(),
            pair.receiverListener(drained));
      }
      drained.await(60, TimeUnit.SECONDS);
    }

    void startClosedLoop() {
      closedLoop = true;
      for (TimedPair pair : all) {
        for (int k = 0; k < window; k++) {
          pair.sendOne();
        }
      }
    }

    void stop() throws InterruptedException {
      closedLoop = false;
      // Let what is in flight arrive before the next phase.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (all.stream().anyMatch(p -> p.inFlight.get() > 0) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }

    Phase measure(List<Long> pids, boolean clustered) throws InterruptedException {
      Cpu before = cpuNow(pids, clustered);
      long deliveredBefore = delivered.get();
      latencies.reset();
      measuring = true;
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      measuring = false;
      double elapsed = (System.nanoTime() - start) / 1e9;
      Cpu after = cpuNow(pids, clustered);
      long count = delivered.get() - deliveredBefore;
      lastCount = count;
      return phase(count, elapsed, before, after);
    }

    private Phase phase(long count, double elapsed, Cpu before, Cpu after) {
      double[] percentiles = latencies.p50p99Millis();
      double p50 = percentiles[0];
      double p99 = percentiles[1];
      double nodes = after.nodes - before.nodes;
      double pg = after.postgres - before.postgres;
      double redis = after.redis - before.redis;
      double total = nodes + pg + redis;
      double perMessage = count == 0 ? 0 : total * 1e6 / count;
      String split = count == 0 ? "nothing delivered" : String.format(
          "servers %.1f, PostgreSQL %.1f, Redis %.1f µs/msg; %.2f cores in all",
          nodes * 1e6 / count, pg * 1e6 / count, redis * 1e6 / count, total / elapsed);
      return new Phase(count / elapsed, p50, p99, perMessage, split);
    }

    /** Offers `rate` messages/s for `seconds`, round robin over the pairs, at most 64 in flight per pair. */
    Phase paced(List<Long> pids, boolean clustered) throws InterruptedException {
      long deliveredBefore = delivered.get();
      latencies.reset();
      Cpu before = cpuNow(pids, clustered);
      measuring = true;
      long start = System.nanoTime();
      long offered = 0;
      long skipped = 0;
      int next = 0;
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end) {
        long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
        while (offered < due) {
          TimedPair pair = all.get(next++ % all.size());
          if (pair.inFlight.get() < 64) {
            pair.sendOne();
          } else {
            skipped++;
          }
          offered++;
        }
        Thread.sleep(1);
      }
      measuring = false;
      double elapsed = (System.nanoTime() - start) / 1e9;
      // Deliveries of what was offered in time still count: wait for the stragglers (they are in the latencies).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (all.stream().anyMatch(p -> p.inFlight.get() > 0) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Cpu after = cpuNow(pids, clustered);
      if (skipped > 0) {
        System.out.printf("paced: %d of %d offered messages skipped (their pair had 64 in flight)%n", skipped,
            offered);
      }
      return phase(delivered.get() - deliveredBefore, elapsed, before, after);
    }

    void close() {
      for (TimedPair pair : all) {
        pair.close();
      }
    }

    @Override
    public void refused(TimedPair pair) {
      failed.incrementAndGet();
      if (closedLoop) {
        pair.sendOne();
      }
    }

    @Override
    public void delivered(TimedPair pair, long sentAtNanos) {
      delivered.incrementAndGet();
      if (measuring) {
        latencies.arrived(sentAtNanos);
      }
      if (closedLoop) {
        pair.sendOne();
      }
    }

    @Override
    public void unreadable(TimedPair pair) {
      failed.incrementAndGet();
    }
  }

  /** CPU seconds so far of the nodes (and HAProxy), PostgreSQL and Redis. */
  private record Cpu(double nodes, double postgres, double redis) {}

  private Cpu cpuNow(List<Long> pids, boolean clustered) {
    double nodeSeconds = 0;
    for (long pid : pids) {
      nodeSeconds += cpuSeconds(pid, false);
    }
    return clustered ? new Cpu(nodeSeconds, cpuSeconds(postgresPid, true), cpuSeconds(redisPid, false))
        : new Cpu(nodeSeconds, 0, 0);
  }
}
