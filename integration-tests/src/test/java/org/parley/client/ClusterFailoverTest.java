package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.DeviceRevoked;
import org.parley.client.api.IdentityChange;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;

/**
 * Three real servers started by {@code bin/parley-cluster} (real PostgreSQL, Redis and HAProxy processes, ADR 0152)
 * and 100 real clients (client-core: libsignal, outbox, de-duplication) connected through HAProxy, in 50 pairs that
 * send to each other all the time. One server killed with -9, then every server restarted in turn (SIGTERM, drain,
 * start): every message is delivered exactly once, and no client shows its person anything but reconnects.
 */
class ClusterFailoverTest {

  private static final int CLIENTS = 100;
  private static final int NODES = 3;
  /** Each client sends one message this often (100 clients: 50 messages a second, and as many receipts). */
  private static final Duration SEND_EVERY = Duration.ofSeconds(2);
  private static final Duration SETTLE = Duration.ofSeconds(120);

  private static Path dir;
  private static URI balancer;
  private static final List<LoadClient> clients = new ArrayList<>();
  private static ScheduledExecutorService senders;

  @BeforeAll
  static void startTheClusterAndConnectTheClients() throws Exception {
    dir = Files.createTempDirectory("parley-cluster");
    String output = cluster("up", Integer.toString(NODES));
    String[] lines = output.strip().split("\n");
    balancer = URI.create(lines[lines.length - 1].strip());
    assertThat(balancer.toString()).startsWith("http://127.0.0.1:");
    senders = Executors.newScheduledThreadPool(4);
    ExecutorService registering = Executors.newFixedThreadPool(8);
    List<Future<LoadClient>> registered = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      String number = "+1555" + String.format("%07d", 4_200_000 + i);
      registered.add(registering.submit(() -> LoadClient.register(number, Files.createTempDirectory("parley-c"))));
    }
    for (Future<LoadClient> client : registered) {
      clients.add(client.get(5, TimeUnit.MINUTES));
    }
    registering.shutdown();
    for (int i = 0; i < CLIENTS; i += 2) {
      clients.get(i).partner = clients.get(i + 1);
      clients.get(i + 1).partner = clients.get(i);
    }
    for (LoadClient client : clients) {
      client.client.connect();
    }
    await().atMost(SETTLE).until(() -> clients.stream().allMatch(LoadClient::connected));
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (senders != null) {
      senders.shutdownNow();
    }
    for (LoadClient client : clients) {
      client.client.close();
    }
    if (dir != null) {
      cluster("down", "--purge");
    }
  }

  /** One node dies at once (kill -9) while everyone sends; its clients come back through HAProxy to the others. */
  @Test
  void killingOneNodeLosesNothingAndItsClientsReconnectThroughTheBalancer() throws Exception {
    Round round = new Round("kill");
    round.start();
    Thread.sleep(6_000);
    int victim = busiestNode();
    long pid = nodePid(victim);
    long killedAt = System.nanoTime();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
    Thread.sleep(10_000);
    round.stop();
    round.assertEverythingDeliveredExactlyOnce();

    List<Long> reconnectMillis = new ArrayList<>();
    for (LoadClient client : clients) {
      client.reconnectAfter(killedAt).ifPresent(reconnectMillis::add);
    }
    System.out.println("kill -9 of node " + victim + ": " + reconnectMillis.size() + " clients lost their connection; back"
        + " through HAProxy after " + percentiles(reconnectMillis) + " (from the kill)");
    // The kill must have cut real clients off: it hits the node holding the most sockets, since how HAProxy's
    // leastconn spread the clients is its choice (0 to 18 of 100 sat on node 2 in runs that always killed node 2).
    // Not asserted: how many clients sat on the killed node (0 in some CI runs; issue #15 notes it as open).
    assertThat(clients).allMatch(LoadClient::connected);
    System.out.println(cluster("restart-node", Integer.toString(victim)));
  }

  private static long nodePid(int node) throws IOException {
    return Long.parseLong(Files.readString(dir.resolve("node-" + node + ".pid")).strip());
  }

  /** The node with the most open sockets: database and Redis pools are alike, so the clients make the difference. */
  private static int busiestNode() throws IOException {
    int busiest = 1;
    long most = -1;
    for (int node = 1; node <= NODES; node++) {
      long sockets = 0;
      try (var fds = Files.list(Path.of("/proc", Long.toString(nodePid(node)), "fd"))) {
        for (Path fd : (Iterable<Path>) fds::iterator) {
          try {
            if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
              sockets++;
            }
          } catch (IOException closedMeanwhile) {
            // the descriptor closed while we listed: not a client socket now
          }
        }
      }
      if (sockets > most) {
        most = sockets;
        busiest = node;
      }
    }
    return busiest;
  }

  /** Every node restarted in turn (SIGTERM: it drains) under the same load: 0 lost, only reconnects seen. */
  @Test
  void aRollingRestartOfEveryNodeLosesNothingAndShowsNoError() throws Exception {
    Round round = new Round("roll");
    round.start();
    Thread.sleep(4_000);
    String output = cluster("roll");
    Thread.sleep(4_000);
    round.stop();
    round.assertEverythingDeliveredExactlyOnce();
    Matcher drained = Pattern.compile("server (\\d+) drained and stopped in (\\d+) ms").matcher(output);
    List<String> drains = new ArrayList<>();
    while (drained.find()) {
      drains.add("node " + drained.group(1) + ": " + drained.group(2) + " ms");
    }
    System.out.println("rolling restart under load, SIGTERM to exit: " + drains + "; "
        + round.disconnections() + " disconnections seen by clients");
    for (int node = 1; node <= NODES; node++) {
      for (String line : Files.readAllLines(dir.resolve("node-" + node).resolve("server.log"))) {
        if (line.contains("Drained")) {
          System.out.println("node " + node + ": " + line);
        }
      }
    }
    assertThat(drains).hasSize(NODES);
    // Every client lost its connection at least once (each node went away in turn) and is back.
    assertThat(round.disconnections()).isGreaterThanOrEqualTo(CLIENTS);
    assertThat(clients).allMatch(LoadClient::connected);
  }

  private static String percentiles(List<Long> millis) {
    if (millis.isEmpty()) {
      return "(none)";
    }
    List<Long> sorted = millis.stream().sorted().toList();
    return "p50 " + sorted.get((sorted.size() - 1) / 2) + " ms, p99 "
        + sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) + " ms, max " + sorted.get(sorted.size() - 1) + " ms";
  }

  /** Runs bin/parley-cluster with the servers on this JVM's class path (no separate build) and test limits. */
  static String cluster(String... args) throws IOException, InterruptedException {
    Path script = Path.of("").toAbsolutePath().getParent().resolve("bin/parley-cluster");
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--data-dir", dir.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("PARLEY_CLUSTER_SERVER_CLASSPATH", System.getProperty("java.class.path"));
    env.put("PARLEY_CLUSTER_JAVA_OPTS", "-Xmx384m -XX:+UseSerialGC");
    // 100 clients all come from 127.0.0.1 (the PROXY header names the test's own address).
    env.put("PARLEY_RATE_LIMITS_SESSIONS_PER_IP", "100000/1m");
    env.put("PARLEY_RATE_LIMITS_SESSIONS_PER_NUMBER", "1000/1m");
    env.put("PARLEY_RATE_LIMITS_FAILED_LOGINS_PER_NETWORK", "100000/1m");
    env.put("PARLEY_RATE_LIMITS_PREKEY_FETCHES", "100000/1m");
    env.put("PARLEY_RATE_LIMITS_NUMBER_LOOKUPS", "100000/1m");
    env.put("PARLEY_REGISTRATION_BACKOFF_BASE", "0s");
    env.put("PARLEY_AUTH_PBKDF2_ITERATIONS", "1000");
    env.put("PARLEY_TURN_EMBEDDED", "false");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new AssertionError("bin/parley-cluster " + String.join(" ", args) + " failed:\n" + output);
    }
    System.out.print(output);
    return output;
  }

  /** One test's messages: each client sends "ROUND-FROM-SEQ" to its partner every {@link #SEND_EVERY}. */
  private static final class Round {
    private final String name;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final int disconnectionsBefore;

    Round(String name) {
      this.name = name;
      this.disconnectionsBefore = clients.stream().mapToInt(c -> c.disconnections.get()).sum();
    }

    void start() {
      for (int i = 0; i < CLIENTS; i++) {
        LoadClient client = clients.get(i);
        AtomicInteger seq = new AtomicInteger();
        String prefix = name + "-" + i + "-";
        long offset = SEND_EVERY.toMillis() * i / CLIENTS;
        tasks.add(senders.scheduleAtFixedRate(() -> client.send(prefix + seq.incrementAndGet()), offset,
            SEND_EVERY.toMillis(), TimeUnit.MILLISECONDS));
      }
    }

    void stop() {
      tasks.forEach(t -> t.cancel(false));
    }

    int disconnections() {
      return clients.stream().mapToInt(c -> c.disconnections.get()).sum() - disconnectionsBefore;
    }

    /** Every message of this round, sent or not yet when the trouble came, reaches its partner once; no errors. */
    void assertEverythingDeliveredExactlyOnce() {
      String mine = name + "-";
      await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> clients.stream().allMatch(c ->
          c.sent.keySet().stream().filter(t -> t.startsWith(mine)).allMatch(c.partner.received::containsKey)));
      long messages = 0;
      long sentBeforeTrouble = 0;
      for (LoadClient client : clients) {
        assertThat(client.problems).as("what client %s showed its person", client.number).isEmpty();
        for (Map.Entry<String, Long> sent : client.sent.entrySet()) {
          if (!sent.getKey().startsWith(mine)) {
            continue;
          }
          messages++;
          assertThat(client.partner.received.get(sent.getKey())).as("times %s arrived", sent.getKey()).isEqualTo(1);
          if (client.sentAnswered.contains(sent.getValue())) {
            sentBeforeTrouble++;
          }
        }
        // Nothing arrived that nobody sent, nor twice (de-duplication is the client's).
        client.received.forEach((text, times) -> assertThat(times).as("times %s arrived", text).isEqualTo(1));
      }
      System.out.println("round " + name + ": " + messages + " messages (" + sentBeforeTrouble + " answered"
          + " \"sent\"), each delivered exactly once");
      // Every client sent during the round (how many depends on how busy the machine is).
      assertThat(messages).isGreaterThanOrEqualTo(CLIENTS);
    }
  }

  /** A real client and what it showed its person. */
  static final class LoadClient implements ParleyListener {
    final String number;
    final ParleyClient client;
    volatile LoadClient partner;
    /** Text → message id of what this client sent. */
    final Map<String, Long> sent = new ConcurrentHashMap<>();
    /** Message ids whose status became SENT (the server's "sent" answer) or later. */
    final Set<Long> sentAnswered = ConcurrentHashMap.newKeySet();
    /** Text → times it arrived. */
    final Map<String, Integer> received = new ConcurrentHashMap<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final AtomicInteger disconnections = new AtomicInteger();
    /** (nanoTime, connected) of each change. */
    final List<long[]> connectionChanges = new CopyOnWriteArrayList<>();
    private volatile boolean connected;

    private LoadClient(String number, ParleyClient client) {
      this.number = number;
      this.client = client;
    }

    static LoadClient register(String number, Path dataDir) throws Exception {
      ParleyClient client = ParleyClient.open(ClientOptions.of(dataDir, balancer));
      client.requestCode(number);
      client.verify(codeFor(number));
      LoadClient load = new LoadClient(number, client);
      client.addListener(load);
      return load;
    }

    /** The code in whichever server's development SMS file has it (HAProxy chose the server). */
    private static String codeFor(String number) throws IOException {
      Map<String, String> found = new HashMap<>();
      for (int node = 1; node <= NODES; node++) {
        Path sms = dir.resolve("node-" + node).resolve("dev-sms.txt");
        if (Files.exists(sms)) {
          for (String line : Files.readAllLines(sms)) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2 && parts[0].equals(number)) {
              found.put(number, parts[1]);
            }
          }
        }
      }
      String code = found.get(number);
      if (code == null) {
        throw new IllegalStateException("no code for " + number + " in any server's dev-sms.txt");
      }
      return code;
    }

    void send(String text) {
      try {
        Message message = client.send(partner.number, text);
        sent.put(text, message.id());
      } catch (Exception e) {
        problems.add("send threw " + e);
      }
    }

    boolean connected() {
      return connected;
    }

    /** Milliseconds from {@code since} until connected again, if the connection dropped after it. */
    Optional<Long> reconnectAfter(long since) {
      Long lost = null;
      for (long[] change : connectionChanges) {
        if (change[0] < since) {
          continue;
        }
        if (change[1] == 0 && lost == null) {
          lost = change[0];
        } else if (change[1] == 1 && lost != null) {
          return Optional.of(TimeUnit.NANOSECONDS.toMillis(change[0] - since));
        }
      }
      return Optional.empty();
    }

    @Override
    public void messageReceived(Message message) {
      received.merge(message.text(), 1, Integer::sum);
    }

    @Override
    public void statusChanged(Message message) {
      if (message.status() == MessageStatus.FAILED) {
        problems.add("message " + message.text() + " FAILED");
      } else if (message.status() != MessageStatus.PENDING) {
        sentAnswered.add(message.id());
      }
    }

    @Override
    public void connection(boolean connected, String reason) {
      this.connected = connected;
      connectionChanges.add(new long[] {System.nanoTime(), connected ? 1 : 0});
      if (!connected) {
        disconnections.incrementAndGet();
      }
    }

    @Override
    public void deviceRevoked(DeviceRevoked revoked) {
      problems.add("device revoked: " + revoked);
    }

    @Override
    public void identityChanged(IdentityChange change) {
      problems.add("identity changed: " + change);
    }
  }
}
