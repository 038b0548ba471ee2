package org.parley.turn.tools;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.parley.turn.attribute.ChannelNumber;
import org.parley.turn.attribute.ErrorCode;
import org.parley.turn.attribute.Lifetime;
import org.parley.turn.attribute.Nonce;
import org.parley.turn.attribute.Realm;
import org.parley.turn.attribute.RequestedTransport;
import org.parley.turn.attribute.StunAttribute;
import org.parley.turn.attribute.Username;
import org.parley.turn.attribute.XorPeerAddress;
import org.parley.turn.attribute.XorRelayedAddress;
import org.parley.turn.auth.LongTermKey;
import org.parley.turn.message.MessageClass;
import org.parley.turn.message.MessageType;
import org.parley.turn.message.Method;
import org.parley.turn.message.Protection;
import org.parley.turn.message.StunDecoder;
import org.parley.turn.message.StunEncoder;
import org.parley.turn.message.StunMessage;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/**
 * A load generator for any STUN/TURN server (used by stun-turn/scripts/bench-vs-coturn.sh to compare servers with
 * the same client). Two modes, results on one line of {@code key=value}:
 *
 * <ul>
 *   <li>{@code binding SERVER:PORT SECONDS SOCKETS WINDOW}: closed loop, each socket keeps WINDOW Binding requests
 *       outstanding; prints responses per second and requests unanswered after 1 s.
 *   <li>{@code relay SERVER:PORT SECONDS SESSIONS RATE SIZE USER PASSWORD}: SESSIONS UDP allocations, each with a
 *       channel bound to an in-process UDP echo peer on loopback; sends RATE ChannelData packets per second in total
 *       for SECONDS, each echoed back through the relay; prints packets per second sent and received, loss and
 *       round-trip latency percentiles. The server must allow loopback peers.
 * </ul>
 */
public final class StunLoad {
  private StunLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      usage();
    }
    switch (args[0]) {
      case "binding":
        if (args.length != 5) {
          usage();
        }
        binding(address(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        break;
      case "relay":
        if (args.length != 8) {
          usage();
        }
        relay(address(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
            Integer.parseInt(args[5]), args[6], args[7]);
        break;
      default:
        usage();
    }
  }

  private static void usage() {
    System.err.println("usage: StunLoad binding HOST:PORT SECONDS SOCKETS WINDOW\n"
        + "       StunLoad relay HOST:PORT SECONDS SESSIONS RATE SIZE USER PASSWORD");
    System.exit(2);
  }

  private static InetSocketAddress address(String hostPort) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(InetAddress.getByName(hostPort.substring(0, colon)),
        Integer.parseInt(hostPort.substring(colon + 1)));
  }

  // ---------------------------------------------------------------------------------------------- Binding

  private static void binding(InetSocketAddress server, int seconds, int sockets, int window) throws Exception {
    int threads = Math.max(1, Math.min(sockets, Runtime.getRuntime().availableProcessors()));
    long[][] results = new long[threads][];
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    for (int t = 0; t < threads; t++) {
      int index = t;
      int mine = sockets / threads + (t < sockets % threads ? 1 : 0);
      Thread w = new Thread(() -> {
        try {
          results[index] = bindingWorker(server, end, mine, window);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }, "binding-" + t);
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long sent = 0;
    long responses = 0;
    long timeouts = 0;
    for (long[] r : results) {
      sent += r[0];
      responses += r[1];
      timeouts += r[2];
    }
    System.out.printf(Locale.ROOT, "mode=binding threads=%d seconds=%.1f sent=%d responses=%d responses_per_s=%.0f "
        + "unanswered_after_1s=%d%n", threads, elapsed, sent, responses, responses / elapsed, timeouts);
  }

  /** One thread's sockets, each keeping {@code window} requests outstanding. Returns {sent, responses, timeouts}. */
  private static long[] bindingWorker(InetSocketAddress server, long end, int sockets, int window)
      throws IOException {
    byte[] request = StunEncoder.encode(
        StunMessage.builder(MessageType.request(Method.BINDING), TransactionId.random()).build());
    Selector selector = Selector.open();
    List<DatagramChannel> channels = new ArrayList<>();
    for (int i = 0; i < sockets; i++) {
      DatagramChannel ch = DatagramChannel.open();
      ch.bind(new InetSocketAddress(server.getAddress(), 0));
      ch.connect(server);
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ, new long[] {0, 0}); // {outstanding, lastActivityNanos}
      channels.add(ch);
    }
    ByteBuffer out = ByteBuffer.wrap(request);
    ByteBuffer in = ByteBuffer.allocateDirect(2048);
    long responses = 0;
    long sent = 0;
    long timeouts = 0;
    for (DatagramChannel ch : channels) {
      for (int w = 0; w < window; w++) {
        out.rewind();
        sent += ch.write(out) > 0 ? 1 : 0;
      }
      long[] state = (long[]) ch.keyFor(selector).attachment();
      state[0] = window;
      state[1] = System.nanoTime();
    }
    while (System.nanoTime() < end) {
      selector.select(50);
      for (SelectionKey key : selector.selectedKeys()) {
        DatagramChannel ch = (DatagramChannel) key.channel();
        long[] state = (long[]) key.attachment();
        while (true) {
          in.clear();
          int n = ch.read(in);
          if (n <= 0) {
            break;
          }
          responses++;
          state[1] = System.nanoTime();
          out.rewind();
          if (ch.write(out) > 0) {
            sent++;
          } else {
            state[0]--;
          }
        }
      }
      selector.selectedKeys().clear();
      long now = System.nanoTime();
      for (DatagramChannel ch : channels) {
        long[] state = (long[]) ch.keyFor(selector).attachment();
        if (now - state[1] > 1_000_000_000L) { // nothing back for 1 s: count the window as lost and refill it
          timeouts += state[0];
          for (int w = 0; w < window; w++) {
            out.rewind();
            sent += ch.write(out) > 0 ? 1 : 0;
          }
          state[0] = window;
          state[1] = now;
        }
      }
    }
    for (DatagramChannel ch : channels) {
      ch.close();
    }
    selector.close();
    return new long[] {sent, responses, timeouts};
  }

  // ---------------------------------------------------------------------------------------------- Relay

  private static final class Session {
    final DatagramChannel channel;
    final int channelNumber;
    final InetSocketAddress relayed;
    final List<StunAttribute> auth;
    final byte[] key;

    Session(DatagramChannel channel, int channelNumber, InetSocketAddress relayed, List<StunAttribute> auth,
        byte[] key) {
      this.channel = channel;
      this.channelNumber = channelNumber;
      this.relayed = relayed;
      this.auth = auth;
      this.key = key;
    }
  }

  private static void relay(InetSocketAddress server, int seconds, int sessions, int rate, int size, String user,
      String password) throws Exception {
    if (size < 16) {
      throw new IllegalArgumentException("SIZE must be at least 16 bytes (sequence number and timestamp)");
    }
    DatagramChannel echo = DatagramChannel.open();
    echo.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20); // the kernel caps it at rmem_max
    echo.bind(new InetSocketAddress(server.getAddress(), 0));
    AtomicBoolean running = new AtomicBoolean(true);
    Thread echoThread = new Thread(() -> runEcho(echo, running), "echo-peer");
    echoThread.setDaemon(true);
    echoThread.start();
    InetSocketAddress peer = (InetSocketAddress) echo.getLocalAddress();

    List<Session> list = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      list.add(setUp(server, peer, 0x4000 + i, user, password));
    }

    Set<Integer> sessionPorts = new HashSet<>();
    for (Session s : list) {
      sessionPorts.add(((InetSocketAddress) s.channel.getLocalAddress()).getPort());
    }
    int echoPort = peer.getPort();
    long echoDrops0 = kernelDrops(Set.of(echoPort));
    long sessionDrops0 = kernelDrops(sessionPorts);
    Selector selector = Selector.open();
    for (Session s : list) {
      s.channel.connect(server);
      s.channel.configureBlocking(false);
      s.channel.register(selector, SelectionKey.OP_READ, s);
    }
    long total = (long) rate * seconds;
    long[] latencies = new long[(int) Math.min(total, 50_000_000)];
    long[] received = {0};
    long[] outOfOrderOrDuplicate = {0};
    AtomicBoolean sending = new AtomicBoolean(true);
    Thread receiver = new Thread(() -> {
      ByteBuffer in = ByteBuffer.allocateDirect(65536);
      try {
        while (sending.get() || selector.select(500) > 0) {
          selector.select(20);
          for (SelectionKey key : selector.selectedKeys()) {
            DatagramChannel ch = (DatagramChannel) key.channel();
            while (true) {
              in.clear();
              if (ch.read(in) <= 0) {
                break;
              }
              in.flip();
              if (in.remaining() < 4 + 16 || (in.get(0) & 0xC0) != 0x40) {
                continue;
              }
              long seq = in.getLong(4);
              long sentAt = in.getLong(12);
              long n = received[0]++;
              if (n < latencies.length) {
                latencies[(int) n] = System.nanoTime() - sentAt;
              }
              if (seq < 0) {
                outOfOrderOrDuplicate[0]++;
              }
            }
          }
          selector.selectedKeys().clear();
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, "receiver");
    receiver.start();

    ByteBuffer out = ByteBuffer.allocateDirect(4 + ((size + 3) & ~3));
    long start = System.nanoTime();
    long sent = 0;
    long sendErrors = 0;
    int next = 0;
    while (sent < total) {
      long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
      if (sent >= due) {
        LockSupport.parkNanos(200_000);
        continue;
      }
      while (sent < due && sent < total) {
        Session s = list.get(next);
        next = (next + 1) % list.size();
        out.clear();
        out.putShort((short) s.channelNumber).putShort((short) size).putLong(sent).putLong(System.nanoTime());
        while (out.position() < 4 + size) {
          out.put((byte) 0);
        }
        out.flip();
        if (s.channel.write(out) == 0) {
          sendErrors++;
        }
        sent++;
      }
    }
    double sendSeconds = (System.nanoTime() - start) / 1e9;
    Thread.sleep(1000); // stragglers
    sending.set(false);
    receiver.join(5000);
    long echoDrops = kernelDrops(Set.of(echoPort)) - echoDrops0;
    long sessionDrops = kernelDrops(sessionPorts) - sessionDrops0;
    running.set(false);
    echo.close();
    long got = received[0];
    long[] lat = Arrays.copyOf(latencies, (int) Math.min(got, latencies.length));
    Arrays.sort(lat);
    System.out.printf(Locale.ROOT, "mode=relay sessions=%d size=%d target_pps=%d sent=%d received=%d "
            + "sent_pps=%.0f received_pps=%.0f loss_pct=%.3f send_errors=%d rtt_p50_ms=%.3f rtt_p99_ms=%.3f "
            + "rtt_max_ms=%.3f client_kernel_drops=%d (echo_peer=%d sessions=%d)%n",
        sessions, size, rate, sent, got, sent / sendSeconds, got / sendSeconds, 100.0 * (sent - got) / sent,
        sendErrors, pct(lat, 50), pct(lat, 99), lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6,
        echoDrops + sessionDrops, echoDrops, sessionDrops);
    // Delete the allocations (Refresh with LIFETIME 0) so the next run starts from a clean server.
    selector.close();
    for (Session s : list) {
      try {
        transactConnected(s.channel, request(Method.REFRESH,
            concat(List.of(new Lifetime(0)), s.auth)), Protection.integrity(s.key));
      } catch (IOException | StunParseException e) {
        // best effort: the allocation expires on its own
      }
      s.channel.close();
    }
  }

  /**
   * Datagrams the kernel dropped on this tool's own sockets (receive buffer full), from the last column of
   * /proc/net/udp and /proc/net/udp6: loss that happened in the load generator, not in the server. -1 where
   * /proc is not there.
   */
  private static long kernelDrops(Set<Integer> localPorts) {
    long total = 0;
    try {
      for (String file : List.of("/proc/net/udp", "/proc/net/udp6")) {
        List<String> lines = Files.readAllLines(Path.of(file));
        for (String line : lines.subList(1, lines.size())) {
          String[] f = line.trim().split("\\s+");
          String local = f[1];
          int port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
          if (localPorts.contains(port)) {
            total += Long.parseLong(f[f.length - 1]);
          }
        }
      }
      return total;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) ((long) sorted.length * p / 100))] / 1e6;
  }

  private static void runEcho(DatagramChannel echo, AtomicBoolean running) {
    ByteBuffer buf = ByteBuffer.allocateDirect(65536);
    try {
      while (running.get()) {
        buf.clear();
        SocketAddress from = echo.receive(buf);
        buf.flip();
        echo.send(buf, from);
      }
    } catch (IOException closed) {
      // the run is over
    }
  }

  /** Allocate (with the 401 round), ChannelBind to the peer. Blocking, with a 5 s timeout per transaction. */
  private static Session setUp(InetSocketAddress server, InetSocketAddress peer, int channelNumber, String user,
      String password) throws IOException, StunParseException {
    DatagramChannel ch = DatagramChannel.open();
    ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
    ch.bind(new InetSocketAddress(server.getAddress(), 0));
    ch.configureBlocking(false);
    List<StunAttribute> transport = List.of(new RequestedTransport(RequestedTransport.UDP));
    StunMessage challenge = transact(ch, server, request(Method.ALLOCATE, transport), Protection.none());
    if (challenge.messageClass() != MessageClass.ERROR_RESPONSE) {
      throw new IOException("server allocated without credentials");
    }
    String realm = challenge.get(Realm.class).orElseThrow(
        () -> new IOException("expected 401 with REALM, got " + challenge.get(ErrorCode.class))).value();
    String nonce = challenge.get(Nonce.class).orElseThrow(
        () -> new IOException("expected 401 with NONCE, got " + challenge.get(ErrorCode.class))).value();
    byte[] key = LongTermKey.md5(user, realm, password);
    List<StunAttribute> auth = List.of(new Username(user), new Realm(realm), new Nonce(nonce));
    StunMessage allocated = transact(ch, server, request(Method.ALLOCATE, concat(transport, auth)),
        Protection.integrity(key));
    InetSocketAddress relayed = allocated.get(XorRelayedAddress.class)
        .orElseThrow(() -> new IOException("Allocate failed: " + allocated.get(ErrorCode.class))).address();
    StunMessage bound = transact(ch, server, request(Method.CHANNEL_BIND,
        concat(List.of(new ChannelNumber(channelNumber), new XorPeerAddress(peer)), auth)), Protection.integrity(key));
    if (bound.messageClass() != MessageClass.SUCCESS_RESPONSE) {
      throw new IOException("ChannelBind failed: " + bound.get(ErrorCode.class)
          + " (does the server allow loopback peers?)");
    }
    return new Session(ch, channelNumber, relayed, auth, key);
  }

  private static List<StunAttribute> concat(List<StunAttribute> a, List<StunAttribute> b) {
    List<StunAttribute> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static StunMessage request(int method, List<StunAttribute> attributes) {
    return StunMessage.builder(MessageType.request(method), TransactionId.random()).addAll(attributes).build();
  }

  private static StunMessage transactConnected(DatagramChannel ch, StunMessage req, Protection p)
      throws IOException, StunParseException {
    return transact(ch, (InetSocketAddress) ch.getRemoteAddress(), req, p);
  }

  private static StunMessage transact(DatagramChannel ch, InetSocketAddress server, StunMessage req, Protection p)
      throws IOException, StunParseException {
    byte[] bytes = StunEncoder.encode(req, p);
    ByteBuffer in = ByteBuffer.allocate(65536);
    try (Selector selector = Selector.open()) {
      ch.register(selector, SelectionKey.OP_READ);
      for (int attempt = 0; attempt < 5; attempt++) {
        ch.send(ByteBuffer.wrap(bytes), server);
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < deadline) {
          selector.select(100);
          selector.selectedKeys().clear();
          in.clear();
          if (ch.receive(in) == null) {
            continue;
          }
          in.flip();
          byte[] raw = new byte[in.remaining()];
          in.get(raw);
          if ((raw[0] & 0xC0) != 0) {
            continue;
          }
          StunMessage m = StunDecoder.decode(raw);
          if (m.transactionId().equals(req.transactionId())) {
            ch.keyFor(selector).cancel();
            selector.selectNow();
            return m;
          }
        }
      }
    }
    throw new IOException("no answer to " + req.type() + " from " + server);
  }
}
