package org.parley.bench;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Load generators for the signaling server. Each run starts its own server process from the built jar. */
@Command(name = "parley-bench", mixinStandardHelpOptions = true,
    description = "Benchmarks for the Parley signaling server.",
    subcommands = {ParleyBench.Throughput.class, ParleyBench.Idle.class, AttachmentBench.class, SoakBench.class,
        BacklogBench.class, AttachmentStagesBench.class, AttachmentTransferBench.class, GroupBench.class,
        ClusterBench.class})
public final class ParleyBench {

  abstract static class Common {
    @Option(names = "--server-jar", required = true, description = "The signaling server's jar.")
    Path serverJar;

    @Option(names = "--work-dir", description = "Where the server keeps its data (default: a new temp dir).")
    Path workDir;

    @Option(names = "--server-jvm", split = " ", description = "JVM options for the server, e.g. \"-Xmx1g\".")
    List<String> serverJvm = new ArrayList<>();

    @Option(names = "--client-threads", defaultValue = "2", description = "Event loop threads of the load generator.")
    int clientThreads;

    EventLoopGroup group;
    Class<? extends Channel> channelType;

    /** The load generator's event loops: {@code --client-threads} of them, epoll where there is. */
    void startClientLoops() {
      boolean epoll = Epoll.isAvailable();
      group = new MultiThreadIoEventLoopGroup(clientThreads,
          epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
      channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    ServerUnderTest startServer() throws Exception {
      Path dir = workDir != null ? workDir : Files.createTempDirectory("parley-bench");
      startClientLoops();
      ServerUnderTest server = ServerUnderTest.launch(serverJar, dir, serverJvm);
      System.out.println("server pid " + server.process.pid() + " on port " + server.port + ", data in " + dir);
      return server;
    }
  }

  @Command(name = "throughput", mixinStandardHelpOptions = true,
      description = "P sender→receiver pairs, each keeping W messages in flight (sent, not yet received) for S"
          + " seconds. Latency is send → delivery at the receiver. Last line: throughput, p50, p99.")
  static final class Throughput extends Common implements Callable<Integer>, TimedPair.Outcomes {
    @Option(names = {"-p", "--pairs"}, defaultValue = "200") int pairs;
    @Option(names = {"-w", "--window"}, defaultValue = "5") int window;
    @Option(names = {"-s", "--seconds"}, defaultValue = "30") int seconds;
    @Option(names = "--warmup", defaultValue = "10", description = "Seconds of load before measuring.") int warmup;
    @Option(names = "--size", defaultValue = "160", description = "Ciphertext bytes per message.") int size;

    private volatile boolean measuring;
    private volatile boolean running = true;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private Latencies latencies;

    @Override
    public Integer call() throws Exception {
      try (ServerUnderTest server = startServer()) {
        List<Accounts.Account> accounts = Accounts.register(server.http(), server.dataDir, 2 * pairs, "555");
        System.out.println("registered " + accounts.size() + " accounts");
        latencies = new Latencies(Math.max(1 << 20, 150_000 * (seconds + 1)));
        TimedPair[] all = new TimedPair[pairs];
        List<CompletableFuture<WsConnection>> opening = new ArrayList<>();
        CountDownLatch drained = new CountDownLatch(2 * pairs);
        for (int i = 0; i < pairs; i++) {
          TimedPair pair = new TimedPair(accounts.get(2 * i), accounts.get(2 * i + 1), size, this);
          all[i] = pair;
          opening.add(WsConnection.open(group, channelType, server.webSocket(), pair.sender.basicAuth(),
              pair.senderListener(drained)).thenApply(c -> pair.senderConnection = c));
          opening.add(WsConnection.open(group, channelType, server.webSocket(), pair.receiver.basicAuth(),
              pair.receiverListener(drained)).thenApply(c -> pair.receiverConnection = c));
        }
        opening.forEach(CompletableFuture::join);
        drained.await(60, TimeUnit.SECONDS);
        System.out.println("connected " + 2 * pairs + " clients; warming up " + warmup + " s");
        for (TimedPair pair : all) {
          for (int k = 0; k < window; k++) {
            pair.sendOne();
          }
        }
        Thread.sleep(warmup * 1000L);
        double cpuBefore = server.cpuSeconds();
        Map<String, Long> threadsBefore = server.cpuTicksByThreadGroup();
        long deliveredBefore = delivered.get();
        measuring = true;
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring = false;
        double elapsed = (System.nanoTime() - start) / 1e9;
        long count = delivered.get() - deliveredBefore;
        double cpu = server.cpuSeconds() - cpuBefore;
        StringBuilder byThread = new StringBuilder();
        server.cpuTicksByThreadGroup().forEach((name, ticks) -> {
          double cores = (ticks - threadsBefore.getOrDefault(name, 0L)) / 100.0 / elapsed;
          if (cores >= 0.01) {
            byThread.append(String.format(" %s %.2f;", name, cores));
          }
        });
        System.out.println("server CPU by thread (cores):" + byThread);
        running = false;
        double[] percentiles = latencies.p50p99Millis();
        double p50 = percentiles[0];
        double p99 = percentiles[1];
        System.out.printf("pairs %d, window %d, %d s measured after %d s warm-up; failed sends %d;"
            + " server CPU %.2f cores; server RSS %d MB%n", pairs, window, seconds, warmup, failed.get(),
            cpu / elapsed, server.rssBytes() >> 20);
        System.out.printf("throughput: %.0f msg/s, p50: %.2f ms, p99: %.2f ms%n", count / elapsed, p50, p99);
        for (TimedPair pair : all) {
          pair.close();
        }
      } finally {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
      return 0;
    }

    @Override
    public void refused(TimedPair pair) {
      failed.incrementAndGet();
      sendNext(pair); // keep the window full
    }

    @Override
    public void delivered(TimedPair pair, long sentAtNanos) {
      delivered.incrementAndGet();
      if (measuring) {
        latencies.arrived(sentAtNanos);
      }
      sendNext(pair);
    }

    @Override
    public void unreadable(TimedPair pair) {
      failed.incrementAndGet();
    }

    private void sendNext(TimedPair pair) {
      if (running) {
        pair.sendOne();
      }
    }
  }

  @Command(name = "idle", mixinStandardHelpOptions = true,
      description = "Holds N authenticated, idle WebSocket connections and reports the server's RSS and heap per"
          + " connection (each measured after a full GC, against the same server before the connections).")
  static final class Idle extends Common implements Callable<Integer> {
    @Option(names = {"-n", "--connections"}, defaultValue = "10000") int connections;
    @Option(names = "--settle", defaultValue = "5", description = "Seconds to wait before measuring.") int settle;

    @Override
    public Integer call() throws Exception {
      if (serverJvm.isEmpty()) {
        // A fixed, pre-touched heap keeps heap resizing out of RSS: RSS growth is then the off-heap cost
        // (socket buffers in direct memory, native structures), and the heap cost is measured after a full GC.
        serverJvm = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");
      }
      try (ServerUnderTest server = startServer()) {
        List<Accounts.Account> accounts = Accounts.register(server.http(), server.dataDir, connections, "556");
        System.out.println("registered " + accounts.size() + " accounts");
        // Warm the server's code paths with one short-lived connection, then take the baseline.
        CountDownLatch warm = new CountDownLatch(1);
        WsConnection w = WsConnection.open(group, channelType, server.webSocket(), accounts.get(0).basicAuth(),
            WsConnection.Listener.acking(warm, request -> { }, response -> { })).join();
        warm.await(30, TimeUnit.SECONDS);
        w.close();
        Thread.sleep(settle * 1000L);
        long heapBefore = server.heapAfterGcBytes();
        long rssBefore = server.rssBytes();

        CountDownLatch drained = new CountDownLatch(connections);
        List<WsConnection> open = new ArrayList<>();
        List<CompletableFuture<WsConnection>> batch = new ArrayList<>();
        for (Accounts.Account account : accounts) {
          batch.add(WsConnection.open(group, channelType, server.webSocket(), account.basicAuth(), WsConnection.Listener.acking(drained, request -> { }, response -> { })));
          if (batch.size() == 200) {
            batch.forEach(f -> open.add(f.join()));
            batch.clear();
          }
        }
        batch.forEach(f -> open.add(f.join()));
        if (!drained.await(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("not every connection got its queue-empty marker");
        }
        Thread.sleep(settle * 1000L);
        long heapAfter = server.heapAfterGcBytes();
        long rssAfter = server.rssBytes();
        System.out.printf("connections: %d; server RSS %d MB -> %d MB; heap after GC %d MB -> %d MB%n",
            open.size(), rssBefore >> 20, rssAfter >> 20, heapBefore >> 20, heapAfter >> 20);
        double rssPer = (rssAfter - rssBefore) / 1024.0 / open.size();
        double heapPer = (heapAfter - heapBefore) / 1024.0 / open.size();
        System.out.printf("idle: %d connections, memory per connection: %.1f kB (heap after GC %.1f kB + off-heap"
            + " RSS growth %.1f kB; server JVM %s)%n", open.size(), heapPer + Math.max(0, rssPer), heapPer, rssPer,
            String.join(" ", serverJvm));
        open.forEach(WsConnection::close);
      } finally {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
      return 0;
    }
  }

  public static void main(String[] args) {
    BenchLogging.useBenchConfiguration();
    System.exit(new CommandLine(new ParleyBench()).execute(args));
  }
}
