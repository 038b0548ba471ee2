package org.parley.bench;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.Route;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.WebSocketMessage;
import org.parley.protocol.WebSocketRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The abuse mix of issue #17 against a server with the limits it ships with and a small heap, while two real clients
 * (client-core with libsignal, what the CLI runs) chat and a third account times a legitimate request. Everything is
 * on loopback; attackers speak from other loopback networks (127.0.1.x, 127.0.2.x, 127.0.3.x), as strangers would
 * from elsewhere, so per-network limits meet them and not the legitimate users on 127.0.0.1.
 *
 * <p>Exit status 0 only when no message was lost, the server stayed up, its RSS grew by no more than 30 % of the heap
 * (the heap itself is all resident from the start) and the legitimate request's p99 was under 250 ms.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Runs the abuse mix of issue #17 for --seconds against a server with its default limits and a small"
        + " heap while real clients chat; reports messages sent/received, server RSS and a legitimate request's p99.")
final class SoakBench implements Callable<Integer> {

  @Option(names = "--server-jar", description = "The signaling server's jar (default: the server on this class path).")
  Path serverJar;

  @Option(names = "--seconds", defaultValue = "60", description = "How long the attack runs (default 60).")
  int seconds;

  @Option(names = "--heap-mb", defaultValue = "128", description = "The server's -Xmx in MiB (default 128).")
  int heapMb;

  @Option(names = "--server-jvm", split = " ", description = "More JVM options for the server.")
  List<String> extraJvm = new ArrayList<>();

  @Option(names = "--work-dir", description = "Where the server keeps its data (default: a new temp dir).")
  Path workDir;

  private static final SecureRandom RANDOM = new SecureRandom();
  private volatile boolean attacking = true;
  private final List<Socket> openSockets = new CopyOnWriteArrayList<>();
  private final ConcurrentMap<String, AtomicLong> tally = new ConcurrentHashMap<>();

  /** What a soak saw. {@code rssLimit} is the RSS at start (the whole heap resident) + 30 % of the heap. */
  record Outcome(long sent, long received, long duplicates, boolean serverUp, long rssStart, long rssPeak,
      long rssLimit, double p99Millis, Map<String, Long> attacks) {
    long lost() {
      return sent - received;
    }

    boolean pass() {
      return lost() == 0 && duplicates == 0 && serverUp && rssPeak <= rssLimit && p99Millis < 250;
    }
  }

  @Override
  public Integer call() throws Exception {
    return run().pass() ? 0 : 1;
  }

  Outcome run() throws Exception {
    Path dir = workDir != null ? workDir : Files.createTempDirectory("parley-soak");
    // The whole heap is touched at start (AlwaysPreTouch), so the RSS at start holds it and what grows later is
    // everything else: the heap + 30 % check is start + 30 % of the heap. Serial GC: G1's own tables alone are ~40 MiB.
    List<String> jvm = List.of("-Xmx" + heapMb + "m", "-Xms" + heapMb + "m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC",
        "-XX:MaxDirectMemorySize=32m",
        "-XX:ReservedCodeCacheSize=48m", "-XX:MaxMetaspaceSize=96m", "-Xss512k");
    jvm = new ArrayList<>(jvm);
    jvm.addAll(extraJvm);
    long heapBytes = (long) heapMb << 20;
    try (ServerUnderTest server = ServerUnderTest.launchWithDefaultLimits(serverJar, dir.resolve("server"), jvm,
        Map.of())) {
      System.out.printf("server pid %d on port %d, %s%n", server.process.pid(), server.port, String.join(" ", jvm));
      List<Accounts.Account> raw = Accounts.register(server.http(), server.dataDir, 4, "666");
      Accounts.Account victim = raw.get(0);
      Accounts.Account flooder = raw.get(1);
      Accounts.Account stranger = raw.get(2);
      Accounts.Account prober = raw.get(3);
      ParleyClient alice = ClientBench.register(server.http(), server.dataDir, "+16660000101");
      ParleyClient bob = ClientBench.register(server.http(), server.dataDir, "+16660000102");
      Set<String> received = ConcurrentHashMap.newKeySet();
      AtomicLong duplicates = new AtomicLong();
      ParleyListener counting = new ParleyListener() {
        @Override
        public void messageReceived(Message message) {
          if (message.text().startsWith("soak ") && !received.add(message.text())) {
            duplicates.incrementAndGet();
          }
        }
      };
      alice.addListener(counting);
      bob.addListener(counting);
      alice.connect();
      bob.connect();
      long rssStart = server.rssBytes();
      System.out.printf("registered; server RSS at start %d MiB; attacking for %d s%n", rssStart >> 20, seconds);

      List<Thread> attackers = List.of(
          attacker("slow bodies", () -> slowBodies(server.port)),
          attacker("unread pings and requests", () -> unreadWebSocket(server.port, flooder)),
          attacker("wrong passwords", () -> wrongPasswords(server.port, victim)),
          attacker("stranger flood", () -> strangerFlood(server.http(), stranger, victim)),
          attacker("garbage", () -> garbage(server.port)));
      attackers.forEach(Thread::start);

      HttpClient probeClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpRequest probe = HttpRequest.newBuilder(server.http().resolve(Route.WHOAMI.path()))
          .header("Authorization", prober.basicAuth()).timeout(Duration.ofSeconds(10)).build();
      List<Long> latencyMicros = new ArrayList<>();
      long probeFailures = 0;
      long sent = 0;
      long rssPeak = rssStart;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      int tick = 0;
      while (System.nanoTime() < end) {
        long t0 = System.nanoTime();
        try {
          int status = probeClient.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
          if (status == 200) {
            latencyMicros.add((System.nanoTime() - t0) / 1000);
          } else {
            probeFailures++;
          }
        } catch (IOException e) {
          probeFailures++;
        }
        if (tick % 5 == 0) { // a message every 250 ms, each way in turn
          boolean fromAlice = (tick / 5) % 2 == 0;
          (fromAlice ? alice : bob).send(fromAlice ? "+16660000102" : "+16660000101", "soak " + sent);
          sent++;
        }
        if (tick % 20 == 0) {
          rssPeak = Math.max(rssPeak, server.rssBytes());
        }
        tick++;
        long sleep = 50 - (System.nanoTime() - t0) / 1_000_000;
        if (sleep > 0) {
          Thread.sleep(sleep);
        }
      }
      long rssEnd = server.rssBytes();
      if (extraJvm.contains("-XX:NativeMemoryTracking=summary")) {
        Process nmt = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
            Long.toString(server.process.pid()), "VM.native_memory", "summary").redirectErrorStream(true).start();
        System.out.println(new String(nmt.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      rssPeak = Math.max(rssPeak, rssEnd);
      attacking = false;
      openSockets.forEach(SoakBench::closeQuietly);
      for (Thread t : attackers) {
        t.join(10_000);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (received.size() < sent && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      boolean alive = server.process.isAlive() && probeClient.send(HttpRequest.newBuilder(server.http()
          .resolve("/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
      alice.close();
      bob.close();

      long[] sorted = latencyMicros.stream().mapToLong(Long::longValue).sorted().toArray();
      double p50 = sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2] / 1000.0;
      double p99 = sorted.length == 0 ? Double.NaN
          : sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1000.0;
      long lost = sent - received.size();
      System.out.println("attack tally: " + new TreeMap<>(tally));
      System.out.printf("messages: sent %d, received %d, lost %d, duplicates %d%n", sent, received.size(), lost,
          duplicates.get());
      System.out.printf("legitimate GET %s: %d answered, %d failed, p50 %.1f ms, p99 %.1f ms%n",
          Route.WHOAMI.template(), sorted.length, probeFailures, p50, p99);
      long rssLimit = rssStart + (long) (heapBytes * 0.3);
      System.out.printf("server RSS: start %d MiB (the whole %d MiB heap touched), end %d MiB, peak %d MiB; limit"
          + " (start + 30 %% of the heap) %d MiB; server up at the end: %s%n", rssStart >> 20, heapMb, rssEnd >> 20,
          rssPeak >> 20, rssLimit >> 20, alive);
      Map<String, Long> attacks = new TreeMap<>();
      tally.forEach((what, n) -> attacks.put(what, n.get()));
      Outcome outcome = new Outcome(sent, received.size(), duplicates.get(), alive, rssStart, rssPeak, rssLimit, p99,
          attacks);
      System.out.println(outcome.pass() ? "PASS" : "FAIL");
      return outcome;
    }
  }

  private interface Attack {
    void run() throws Exception;
  }

  private Thread attacker(String name, Attack attack) {
    Thread t = new Thread(() -> {
      while (attacking) {
        try {
          attack.run();
        } catch (Exception e) {
          count(name + ": " + e.getClass().getSimpleName());
          pause(200);
        }
      }
    }, "soak-" + name);
    t.setDaemon(true);
    return t;
  }

  private void count(String what) {
    tally.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  /** A socket to the server from {@code source} (any 127.x address is this machine). */
  private Socket connect(String source, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    openSockets.add(socket);
    return socket;
  }

  private void closed(Socket socket) {
    openSockets.remove(socket);
    closeQuietly(socket);
  }

  /** Finding 2: 300 connections from one address each promise a body and send a byte of it every two seconds. */
  private void slowBodies(int port) throws Exception {
    List<Socket> sockets = new ArrayList<>();
    byte[] head = ("POST " + Route.CREATE_VERIFICATION_SESSION.path() + " HTTP/1.1\r\nHost: soak\r\n"
        + "Content-Type: application/x-protobuf\r\nContent-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    while (attacking) {
      while (sockets.size() < 300 && attacking) {
        try {
          Socket s = connect("127.0.1.1", port);
          s.getOutputStream().write(head);
          sockets.add(s);
          count("slow bodies: opened");
        } catch (IOException refused) {
          count("slow bodies: connect failed");
          break;
        }
      }
      for (Socket s : new ArrayList<>(sockets)) {
        try {
          s.getOutputStream().write('x');
          if (s.getInputStream().available() > 0) {
            throw new IOException("answered"); // a 408/413 or a close: the server let go of it
          }
        } catch (IOException e) {
          count("slow bodies: ended by the server");
          sockets.remove(s);
          closed(s);
        }
      }
      pause(2_000);
    }
    sockets.forEach(this::closed);
  }

  /** Finding 1: an authenticated WebSocket that sends pings and requests as fast as it can and never reads. */
  private void unreadWebSocket(int port, Accounts.Account account) throws Exception {
    Socket socket = connect("127.0.1.2", port);
    try {
      OutputStream out = socket.getOutputStream();
      byte[] key = new byte[16];
      RANDOM.nextBytes(key);
      out.write(("GET " + Route.WEBSOCKET.path() + " HTTP/1.1\r\nHost: soak\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
          + Base64.getEncoder().encodeToString(key) + "\r\nAuthorization: " + account.basicAuth() + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String answer = readHead(socket.getInputStream());
      if (!answer.startsWith("HTTP/1.1 101")) {
        count("unread pings and requests: upgrade refused " + answer.lines().findFirst().orElse(""));
        pause(1_000);
        return;
      }
      byte[] ping = frame(0x9, new byte[125]);
      byte[] request = frame(0x2, WebSocketMessage.newBuilder().setType(WebSocketMessage.Type.REQUEST)
          .setRequest(WebSocketRequest.newBuilder().setId(1).setVerb("GET").setPath(Route.WHOAMI.path()))
          .build().toByteArray());
      byte[] burst = new byte[64 * (ping.length + request.length)];
      for (int i = 0; i < 64; i++) {
        System.arraycopy(ping, 0, burst, i * (ping.length + request.length), ping.length);
        System.arraycopy(request, 0, burst, i * (ping.length + request.length) + ping.length, request.length);
      }
      while (attacking) {
        out.write(burst); // blocks once the server stops reading: that is the backpressure
        tally.computeIfAbsent("unread pings and requests: KiB written", k -> new AtomicLong())
            .addAndGet(burst.length / 1024);
      }
    } catch (IOException e) {
      count("unread pings and requests: connection ended");
      pause(500);
    } finally {
      closed(socket);
    }
  }

  /** Finding 3: wrong passwords for a real account, as fast as the answers come. */
  private void wrongPasswords(int port, Accounts.Account victim) throws Exception {
    Socket socket = connect("127.0.2.1", port);
    try {
      String auth = Base64.getEncoder().encodeToString((victim.accountId() + ".1:wrong-" + RANDOM.nextInt())
          .getBytes(StandardCharsets.UTF_8));
      byte[] request = ("GET " + Route.WHOAMI.path() + " HTTP/1.1\r\nHost: soak\r\nAuthorization: Basic " + auth
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      InputStream in = socket.getInputStream();
      while (attacking) {
        socket.getOutputStream().write(request);
        String head = readHead(in);
        String status = head.length() >= 12 ? head.substring(9, 12) : "closed";
        count("wrong passwords: " + status);
        int length = contentLength(head);
        in.readNBytes(length);
        if (head.toLowerCase().contains("connection: close")) {
          return;
        }
      }
    } finally {
      closed(socket);
    }
  }

  /** Finding 4: a registered stranger fills an offline person's queue. */
  private void strangerFlood(URI server, Accounts.Account from, Accounts.Account to) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    byte[] content = new byte[1024];
    while (attacking) {
      RANDOM.nextBytes(content);
      SendMessageRequest body = SendMessageRequest.newBuilder().setTimestamp(System.currentTimeMillis())
          .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
              .setDestinationRegistrationId(to.registrationId()).setContent(ByteString.copyFrom(content)))
          .build();
      HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(server.resolve(Route.SEND_MESSAGE.path(
              to.accountId()))).header("Authorization", from.basicAuth())
          .header("Content-Type", "application/x-protobuf")
          .method("PUT", HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
          HttpResponse.BodyHandlers.discarding());
      count("stranger flood: " + answer.statusCode());
      if (answer.statusCode() == 429) {
        pause(100);
      }
    }
  }

  /** Malformed traffic: random bytes, then a look at what comes back. */
  private void garbage(int port) throws Exception {
    Socket socket = connect("127.0.3.1", port);
    try {
      byte[] junk = new byte[4096];
      RANDOM.nextBytes(junk);
      socket.getOutputStream().write(junk);
      socket.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(2_000);
      String head = readHead(socket.getInputStream());
      count("garbage: " + (head.length() >= 12 ? head.substring(9, 12) : "closed without answer"));
    } finally {
      closed(socket);
    }
    pause(100);
  }

  /** A masked client frame (RFC 6455 section 5.2), payload under 64 KiB. */
  private static byte[] frame(int opcode, byte[] payload) {
    int headLength = payload.length < 126 ? 2 : 4;
    byte[] frame = new byte[headLength + 4 + payload.length];
    frame[0] = (byte) (0x80 | opcode);
    if (payload.length < 126) {
      frame[1] = (byte) (0x80 | payload.length);
    } else {
      frame[1] = (byte) (0x80 | 126);
      frame[2] = (byte) (payload.length >> 8);
      frame[3] = (byte) payload.length;
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    System.arraycopy(mask, 0, frame, headLength, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[headLength + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return frame;
  }

  /** An HTTP answer's head, up to the blank line ("" if the connection closed first). */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      head.append((char) b);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
      if (head.length() > 16_384) {
        throw new IOException("an answer head over 16 KiB");
      }
    }
    return head.toString();
  }

  private static int contentLength(String head) {
    return Arrays.stream(head.split("\r\n")).filter(l -> l.toLowerCase().startsWith("content-length:"))
        .mapToInt(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElse(0);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing what may already be closed
    }
  }
}
