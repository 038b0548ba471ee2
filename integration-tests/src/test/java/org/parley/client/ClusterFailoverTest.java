package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.DeviceRevoked;
import org.parley.client.api.IdentityChange;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.OutgoingAttachment;

/**
 * Three real servers started by {@code bin/parley-cluster} (real PostgreSQL, Redis and HAProxy processes, ADR 0152)
 * and 100 real clients (client-core: libsignal, outbox, de-duplication) connected through HAProxy, in 50 pairs that
 * send to each other all the time. One server killed with -9, then every server restarted in turn (SIGTERM, drain,
 * start): every message is delivered exactly once, and no client shows its person anything but reconnects.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int CLIENTS = 100;
  private static final int NODES = 3;
  /** Each client sends one message this often (100 clients: 50 messages a second, and as many receipts). */
  private static final Duration SEND_EVERY = Duration.ofSeconds(2);
  private static final Duration SETTLE = Duration.ofSeconds(120);

  private static Path dir;
  /** Every client's data directory (and the attachment sent), deleted at the end. */
  private static Path clientDirs;
  private static URI balancer;
  private static final List<LoadClient> clients = new ArrayList<>();
  private static ScheduledExecutorService senders;

  @BeforeAll
  static void startTheClusterAndConnectTheClients() throws Exception {
    dir = Files.createTempDirectory("parley-cluster");
    clientDirs = Files.createTempDirectory("parley-cluster-clients");
    String output = cluster("up", Integer.toString(NODES));
    String[] lines = output.strip().split("\n");
    balancer = URI.create(lines[lines.length - 1].strip());
    assertThat(balancer.toString()).startsWith("http://127.0.0.1:");
    senders = Executors.newScheduledThreadPool(4);
    ExecutorService registering = Executors.newFixedThreadPool(8);
    List<Future<LoadClient>> registered = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      String number = "+1555" + String.format("%07d", 4_200_000 + i);
      registered.add(registering.submit(() -> LoadClient.register(number, Files.createTempDirectory(clientDirs, "c"))));
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
    if (clientDirs != null) {
      try (var files = Files.walk(clientDirs)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  /** One node dies at once (kill -9) while everyone sends; its clients come back through HAProxy to the others. */
  @Test
  @Order(1)
  void killingOneNodeLosesNothingAndItsClientsReconnectThroughTheBalancer() throws Exception {
    Round round = new Round("kill");
    round.start();
    Thread.sleep(6_000);
    Map<Integer, ServerView> before = balancerView();
    Map<Integer, Integer> devicesBefore = connectedDevices();
    System.out.println("before the kill: connected devices per server " + devicesBefore + "; HAProxy's state and"
        + " sessions per server " + before);
    // leastconn spread the clients: each server holds about a third of them (none less than a fifth).
    assertThat(before.values()).allMatch(v -> v.status().equals("UP"));
    assertThat(devicesBefore.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CLIENTS);
    assertThat(devicesBefore.values()).allMatch(devices -> devices >= CLIENTS / 5);
    int victim = 2;
    int held = devicesBefore.get(victim);
    long killedAt = System.nanoTime();
    ProcessHandle.of(nodePid(victim)).orElseThrow().destroyForcibly(); // SIGKILL
    // Every client is back, through HAProxy, on the two other servers.
    await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).until(() ->
        clients.stream().allMatch(LoadClient::connected) && connectedDevices().entrySet().stream()
            .filter(e -> e.getKey() != victim).mapToInt(Map.Entry::getValue).sum() == CLIENTS);
    Map<Integer, ServerView> after = balancerView();
    Map<Integer, Integer> devicesAfter = connectedDevices();
    Thread.sleep(4_000);
    round.stop();
    round.assertEverythingDeliveredExactlyOnce();

    List<Long> reconnectMillis = new ArrayList<>();
    for (LoadClient client : clients) {
      client.reconnectAfter(killedAt).ifPresent(reconnectMillis::add);
    }
    System.out.println("kill -9 of node " + victim + " holding " + held + " of " + CLIENTS + " clients: "
        + reconnectMillis.size() + " clients lost their connection; back through HAProxy after "
        + percentiles(reconnectMillis) + " (from the kill); after: connected devices " + devicesAfter + ", HAProxy "
        + after);
    // Each client the killed server held lost its connection and reconnected through HAProxy (clients elsewhere
    // kept theirs, unless a send timed out meanwhile and reconnected).
    try {
      assertThat(reconnectMillis.size()).isGreaterThanOrEqualTo(held);
      // Clients can be back before HAProxy's health checks have marked the server DOWN (a refused connection is
      // redispatched at once; the checks need several misses), so wait for that rather than read it once.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> balancerView().get(victim).status().startsWith("DOWN"));
    } finally {
      // The next test needs every server back, whatever happened here.
      System.out.println(cluster("restart-node", Integer.toString(victim)));
    }
  }

  private static long nodePid(int node) throws IOException {
    return Long.parseLong(Files.readString(dir.resolve("node-" + node + ".pid")).strip());
  }

  /** Server number → devices connected to it now (its parley_connections gauge on the admin port). */
  static Map<Integer, Integer> connectedDevices() throws IOException, InterruptedException {
    String env = Files.readString(dir.resolve("cluster.env"));
    Map<Integer, Integer> devices = new TreeMap<>();
    for (int node = 1; node <= NODES; node++) {
      Matcher port = Pattern.compile("\\bNODE_" + node + "_ADMIN_PORT=(\\d+)").matcher(env);
      assertThat(port.find()).as("node %s's admin port in cluster.env", node).isTrue();
      try {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port.group(1) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher gauge = Pattern.compile("(?m)^parley_connections(?:\\{[^}]*\\})? ([0-9.]+)$").matcher(metrics.body());
        assertThat(gauge.find()).as("parley_connections on node %s", node).isTrue();
        devices.put(node, (int) Double.parseDouble(gauge.group(1)));
      } catch (ConnectException down) {
        devices.put(node, 0);
      }
    }
    return devices;
  }

  /** A server as HAProxy sees it: its health-check state and its open connections (one per WebSocket). */
  record ServerView(String status, int sessions) {
    @Override
    public String toString() {
      return status + " " + sessions;
    }
  }

  /** Server number → HAProxy's view, from its statistics page (CSV: svname, scur and status columns). */
  static Map<Integer, ServerView> balancerView() throws IOException, InterruptedException {
    String stats = null;
    for (String line : Files.readAllLines(dir.resolve("cluster.env"))) {
      Matcher port = Pattern.compile("\\bSTATS_PORT=(\\d+)").matcher(line);
      if (port.find()) {
        stats = "http://127.0.0.1:" + port.group(1) + "/stats;csv";
      }
    }
    assertThat(stats).as("STATS_PORT in cluster.env").isNotNull();
    HttpResponse<String> csv = HTTP.send(HttpRequest.newBuilder(URI.create(stats)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(csv.statusCode()).isEqualTo(200);
    List<String> lines = csv.body().lines().toList();
    List<String> header = List.of(lines.get(0).replaceFirst("^# ", "").split(","));
    int name = header.indexOf("svname");
    int sessions = header.indexOf("scur");
    int status = header.indexOf("status");
    Map<Integer, ServerView> view = new TreeMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] columns = line.split(",", -1);
      if (columns[0].equals("parley_servers") && columns[name].startsWith("node")) {
        view.put(Integer.parseInt(columns[name].substring(4)),
            new ServerView(columns[status].split(" ")[0], Integer.parseInt(columns[sessions])));
      }
    }
    assertThat(view).hasSize(NODES);
    return view;
  }

  /** Every node restarted in turn (SIGTERM: it drains) under the same load: 0 lost, only reconnects seen. */
  @Test
  @Order(2)
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
    // Connections stay where they are: the server restarted last has only the clients that reconnected since.
    System.out.println("after the rolling restart: connected devices per server " + connectedDevices()
        + "; HAProxy " + balancerView());
    assertThat(drains).hasSize(NODES);
    // Every client lost its connection at least once (each node went away in turn) and is back.
    assertThat(round.disconnections()).isGreaterThanOrEqualTo(CLIENTS);
    assertThat(clients).allMatch(LoadClient::connected);
  }

  /**
   * Attachments are in the cluster's S3 store (S3Proxy, started by bin/parley-cluster): uploaded through server 1
   * (the others in maintenance in HAProxy), downloaded through server 2 (the others in maintenance), the same bytes.
   */
  @Test
  @Order(3)
  void anAttachmentUploadedThroughOneServerIsDownloadedThroughAnother() throws Exception {
    LoadClient sender = LoadClient.register("+15554300001", Files.createTempDirectory(clientDirs, "c"));
    LoadClient receiver = LoadClient.register("+15554300002", Files.createTempDirectory(clientDirs, "c"));
    sender.partner = receiver;
    receiver.partner = sender;
    clients.add(sender);
    clients.add(receiver);
    byte[] bytes = new byte[1_500_000];
    new Random(15).nextBytes(bytes);
    Path file = Files.createTempDirectory(clientDirs, "c").resolve("cluster.bin");
    Files.write(file, bytes);
    try {
      onlyServer(1);
      sender.client.connect();
      Message sent = sender.client.send(receiver.number, "attachment", List.of(
          new OutgoingAttachment(file, Optional.of("application/octet-stream"), Optional.empty(), true)));
      await().atMost(SETTLE).until(() -> sender.sentAnswered.contains(sent.id()));
      onlyServer(2);
      receiver.client.connect();
      await().atMost(SETTLE).until(() -> !receiver.messages.isEmpty());
      Attachment arrived = receiver.messages.get(0).attachments().get(0);
      receiver.client.awaitDownload(arrived.id(), Duration.ofMinutes(2));
      try (InputStream in = receiver.client.openAttachment(arrived.id())) {
        assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(bytes));
      }
    } finally {
      for (int node = 1; node <= NODES; node++) {
        balancerCommand("set server parley_servers/node" + node + " state ready");
      }
    }
    // The (encrypted) bytes are in the bucket, and in no server's own directory.
    try (var stored = Files.walk(dir.resolve("s3/data/parley-attachments"))) {
      assertThat(stored.filter(Files::isRegularFile).count()).isPositive();
    }
    for (int node = 1; node <= NODES; node++) {
      Path local = dir.resolve("node-" + node).resolve("attachments");
      if (Files.exists(local)) {
        try (var files = Files.walk(local)) {
          assertThat(files.filter(Files::isRegularFile).toList()).as("node %s's own attachments", node).isEmpty();
        }
      }
    }
  }

  /** HAProxy sends new requests to server {@code node} alone (the others in maintenance; open connections stay). */
  private static void onlyServer(int node) throws IOException {
    balancerCommand("set server parley_servers/node" + node + " state ready");
    for (int other = 1; other <= NODES; other++) {
      if (other != node) {
        balancerCommand("set server parley_servers/node" + other + " state maint");
      }
    }
  }

  /** A command on HAProxy's runtime API (its stats socket); it answers nothing when the command worked. */
  private static void balancerCommand(String command) throws IOException {
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("haproxy.sock")))) {
      channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
      String answer = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).as("HAProxy's answer to %s", command).isBlank();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
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
    env.put("PARLEY_CLUSTER_S3_CLASSPATH", System.getProperty("java.class.path"));
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
    final List<Message> messages = new CopyOnWriteArrayList<>();
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
      messages.add(message);
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
