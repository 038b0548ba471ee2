package org.parley.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Message;
import org.parley.client.api.OutgoingText;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.internal.ClientComponents;
import org.parley.client.internal.connection.FaultInjection;
import org.parley.client.internal.messaging.OutboxWorker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A receiver that was offline comes back to a backlog: a real sender client queues {@code --messages} text messages
 * through the server (in its own process) for each receiver while the receivers are closed, then each receiver is
 * opened and connected and the drain is timed until every message is stored and acknowledged ("queue empty" after
 * the last one). One receiver per {@code --batches} entry, each with that many envelopes per inbox transaction, so
 * one run shows them side by side (1 is the old one-transaction-per-message drain, with per-message receipts). Measured in this JVM while only the receiver runs: wall time, CPU seconds (from /proc/self/stat),
 * bytes written to disk (/proc/self/io write_bytes) and the database file's growth.
 */
@Command(name = "backlog", mixinStandardHelpOptions = true,
    description = "Times an offline receiver draining a backlog of N messages through the real server; prints"
        + " messages/s, CPU and bytes written to disk per message.")
final class BacklogBench implements Callable<Integer> {

  @Option(names = "--server-jar", description = "The signaling server's jar (default: the server on this class path).")
  Path serverJar;

  @Option(names = "--work-dir", description = "Where the server and the clients keep their data (default: temp).")
  Path workDir;

  @Option(names = {"-n", "--messages"}, defaultValue = "5000", description = "Messages in each backlog.")
  int messages;

  @Option(names = "--bursts", defaultValue = "1", description = "Backlogs each receiver drains one after the other"
      + " (--messages in all, split evenly; the receiver is closed after each): a long history received in bursts.")
  int bursts;

  @Option(names = "--senders", defaultValue = "1", description = "Accounts that fill the backlogs, in parallel (each"
      + " pipelines its sends, one in flight per receiver): more fill a large backlog sooner.")
  int senders;

  @Option(names = "--server-jvm", split = " ", description = "JVM options for the server.")
  List<String> serverJvm = new ArrayList<>();

  /**
   * One drained backlog (or the sum of a receiver's bursts). {@code fileBeforeClose} is what the file held when the
   * client closed, what H2's own close started from before ADR 0205 (it did not shrink a file of dead chunks);
   * {@code peakFile} the largest the file got while it drained (sampled every 100 ms), {@code liveAfterClose} the
   * file once closed (live data only, compacted).
   */
  record Drain(int messages, double seconds, double cpuSeconds, long bytesWritten, long fileGrowth,
      double receiptsSeconds, long fileBeforeClose, double closeSeconds, long peakFile, long liveAfterClose,
      long fileAfterReopen, long storedMessages) {
    String line() {
      return String.format("%,d messages in %.2f s: %,.0f msg/s; CPU %.2f ms/msg; written %.1f kB/msg;"
          + " file +%.1f kB/msg; receipts sent after %.2f s; file before close %.2f kB/msg (closed in %.1f s), peak"
          + " %.1f MB = %.1fx its data after close; closed and reopened: %.2f kB of file per stored message"
          + " (%,d stored)",
          messages, seconds, messages / seconds, cpuSeconds * 1000 / messages, bytesWritten / 1024.0 / messages,
          fileGrowth / 1024.0 / messages, receiptsSeconds, fileBeforeClose / 1024.0 / storedMessages, closeSeconds,
          peakFile / 1048576.0, peakFile / (double) liveAfterClose, fileAfterReopen / 1024.0 / storedMessages,
          storedMessages);
    }

    /** This and the next burst: sums, and the next burst's file sizes (the history so far). */
    Drain plus(Drain next) {
      return new Drain(messages + next.messages, seconds + next.seconds, cpuSeconds + next.cpuSeconds,
          bytesWritten + next.bytesWritten, fileGrowth + next.fileGrowth, receiptsSeconds + next.receiptsSeconds,
          next.fileBeforeClose, next.closeSeconds, next.peakFile, next.liveAfterClose, next.fileAfterReopen,
          next.storedMessages);
    }
  }

  @Option(names = "--batches", split = ",", defaultValue = "1,64", description = "Inbox batch sizes to compare"
      + " (envelopes per transaction); each drains its own receiver's backlog, one after the other.")
  List<Integer> batches;

  @Option(names = "--send-messages", defaultValue = "10000", description = "Messages the bot sends in the send"
      + " phase, round-robin to --recipients accounts (0 skips the phase).")
  int sendMessages;

  @Option(names = "--recipients", defaultValue = "24", description = "Accounts the bot sends to in the send phase.")
  int recipients;

  @Option(names = "--send-modes", split = ",", defaultValue = "0x1,24x100x8x1,24x100", description = "Ways"
      + " of sending to compare, WINDOWxCHUNK[xAHEAD[xDEPTH]]: WINDOW destinations with sends in flight on the"
      + " WebSocket (0: one at a time over HTTP, as before), CHUNK texts queued per call (1: send(), more: sendAll()),"
      + " AHEAD rows of a destination encrypted per round (default " + OutboxWorker.AHEAD + "), DEPTH of them on the"
      + " wire at once (default " + OutboxWorker.DEPTH + "; 1: one per destination, as before); each with its own bot"
      + " account.")
  List<String> sendModes;

  /** One bot's outbox sent. */
  record Send(int messages, double seconds, double cpuSeconds, long bytesWritten, long fileGrowth, long peakFile,
      long fileAfterClose) {
    String line() {
      return String.format("%,d messages in %.2f s: %,.0f msg/s; CPU %.2f ms/msg; written %.1f kB/msg;"
          + " file +%.1f kB/msg at the end (peak %.1f MB = %.0fx its data after close), %.1f kB/msg once closed",
          messages, seconds, messages / seconds, cpuSeconds * 1000 / messages, bytesWritten / 1024.0 / messages,
          fileGrowth / 1024.0 / messages, peakFile / 1048576.0, peakFile / (double) fileAfterClose,
          fileAfterClose / 1024.0 / messages);
    }
  }

  @Override
  public Integer call() throws Exception {
    Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("parley-backlog");
    try (ServerUnderTest server = ServerUnderTest.launch(serverJar, dir.resolve("server"), serverJvm)) {
      URI url = server.http();
      List<String> senderNumbers = new ArrayList<>();
      for (int k = 0; k < senders; k++) {
        senderNumbers.add(String.format("+155580%05d", k + 1));
      }
      List<Path> receiverDirs = new ArrayList<>();
      List<String> receiverNumbers = new ArrayList<>();
      for (int i = 0; i < batches.size(); i++) {
        String number = String.format("+155581%05d", i);
        Path receiverDir = dir.resolve("receiver-" + i);
        register(url, server.dataDir, receiverDir, number).close();
        receiverDirs.add(receiverDir);
        receiverNumbers.add(number);
      }
      for (int k = 0; k < senders; k++) {
        register(url, server.dataDir, dir.resolve("sender-" + k), senderNumbers.get(k)).close();
      }
      List<String> lines = new ArrayList<>();
      if (sendMessages > 0) {
        List<String> audience = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
          String number = String.format("+155582%05d", i);
          register(url, server.dataDir, dir.resolve("recipient-" + i), number).close();
          audience.add(number);
        }
        for (int m = 0; m < sendModes.size(); m++) {
          String[] mode = sendModes.get(m).split("x");
          if (mode.length < 2 || mode.length > 4) {
            throw new IllegalArgumentException("--send-modes takes WINDOWxCHUNK[xAHEAD[xDEPTH]], e.g. 24x100, not "
                + sendModes.get(m));
          }
          int window = Integer.parseInt(mode[0]);
          int chunk = Integer.parseInt(mode[1]);
          int ahead = mode.length >= 3 ? Integer.parseInt(mode[2]) : OutboxWorker.AHEAD;
          int depth = mode.length == 4 ? Integer.parseInt(mode[3]) : OutboxWorker.DEPTH;
          Path botDir = dir.resolve("bot-" + m);
          register(url, server.dataDir, botDir, String.format("+155583%05d", m)).close();
          Send send = send(url, botDir, audience, window, chunk, ahead, depth);
          lines.add(String.format("send, window %2d, %3d per call, %2d ahead, %d deep: %s", window, chunk, ahead,
              depth, send.line()));
          System.out.println(lines.get(lines.size() - 1));
        }
      }
      Drain[] drains = new Drain[batches.size()];
      for (int b = 0; b < bursts; b++) {
        int burst = messages / bursts + (b < messages % bursts ? 1 : 0);
        fill(url, dir, senderNumbers, receiverNumbers, burst);
        for (int i = 0; i < batches.size(); i++) {
          Drain drain = drain(url, receiverDirs.get(i), batches.get(i), senderNumbers, burst);
          drains[i] = drains[i] == null ? drain : drains[i].plus(drain);
          if (bursts > 1) {
            System.out.printf("burst %d of %d, batch %2d: %s%n", b + 1, bursts, batches.get(i), drain.line());
          }
        }
      }
      for (int i = 0; i < batches.size(); i++) {
        lines.add(String.format("backlog, batch %2d%s: %s", batches.get(i), bursts > 1 ? ", " + bursts
            + " bursts" : "", drains[i].line()));
        System.out.println(lines.get(lines.size() - 1));
      }
      System.out.println("side by side:");
      lines.forEach(System.out::println);
    }
    return 0;
  }

  /**
   * A bot with a fresh account sends {@link #sendMessages} texts round-robin to {@code audience}, queued as fast as
   * {@code send} (or {@code sendAll}, {@code chunk} at a time) returns, timed from the first until its outbox is empty (every message accepted by the server).
   */
  private Send send(URI url, Path botDir, List<String> audience, int window, int chunk, int ahead, int depth)
      throws Exception {
    Path file = botDir.resolve("parley.mv.db");
    long file0 = Files.size(file);
    AtomicLong peak = new AtomicLong(file0);
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(() -> {
      try {
        peak.accumulateAndGet(Files.size(file), Math::max);
      } catch (IOException ignored) {
        // between a compaction's rename and the next sample
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
    Send send;
    try (ClientComponents components = ClientComponents.open(ClientOptions.of(botDir, url), FaultInjection.NONE,
        new ClientComponents.Tuning(64, window, ahead, depth))) {
      ParleyClient bot = components.client();
      bot.connect();
      // Connected once the server said its (empty) queue is drained: the first sends already find the WebSocket.
      if (!bot.awaitQueueDrained(Duration.ofSeconds(30))) {
        throw new IllegalStateException("the bot did not connect in 30 s");
      }
      long written0 = writeBytes();
      double cpu0 = AttachmentBench.cpuSeconds(ProcessHandle.current().pid());
      long start = System.nanoTime();
      List<OutgoingText> texts = new ArrayList<>();
      for (int i = 0; i < sendMessages; i++) {
        String to = audience.get(i % audience.size());
        String text = "bot message " + i + " of " + sendMessages;
        if (chunk <= 1) {
          bot.send(to, text);
          continue;
        }
        texts.add(new OutgoingText(to, text));
        if (texts.size() == chunk || i == sendMessages - 1) {
          bot.sendAll(texts);
          texts.clear();
        }
      }
      if (!bot.awaitOutboxEmpty(Duration.ofMinutes(60))) {
        throw new IllegalStateException("the bot did not send its messages in 60 minutes");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpu = AttachmentBench.cpuSeconds(ProcessHandle.current().pid()) - cpu0;
      long written = writeBytes() - written0;
      send = new Send(sendMessages, seconds, cpu, written, Files.size(file) - file0, 0, 0);
    } finally {
      sampler.shutdownNow();
    }
    return new Send(send.messages(), send.seconds(), send.cpuSeconds(), send.bytesWritten(), send.fileGrowth(),
        peak.get(), Files.size(file));
  }

  /**
   * The senders queue {@code count} texts for each receiver (split among them, 100 per {@code sendAll}) while the
   * receivers are closed, and send them, pipelined (one in flight per receiver and sender).
   */
  private void fill(URI url, Path dir, List<String> senderNumbers, List<String> receiverNumbers, int count)
      throws Exception {
    long start = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = new CopyOnWriteArrayList<>();
    for (int k = 0; k < senderNumbers.size(); k++) {
      int first = count * k / senderNumbers.size();
      int last = count * (k + 1) / senderNumbers.size();
      Path senderDir = dir.resolve("sender-" + k);
      Thread thread = new Thread(() -> {
        try (ClientComponents components = ClientComponents.open(ClientOptions.of(senderDir, url),
            FaultInjection.NONE, ClientComponents.Tuning.PIPELINED)) {
          ParleyClient sender = components.client();
          sender.connect();
          if (!sender.awaitQueueDrained(Duration.ofSeconds(60))) {
            throw new IllegalStateException("a sender did not connect in 60 s");
          }
          List<OutgoingText> texts = new ArrayList<>();
          for (int i = first; i < last; i++) {
            for (String receiver : receiverNumbers) {
              texts.add(new OutgoingText(receiver, "backlog message " + i + " of " + count));
            }
            if (texts.size() >= 100 || i == last - 1) {
              sender.sendAll(texts);
              texts.clear();
            }
          }
          if (!sender.awaitOutboxEmpty(Duration.ofMinutes(60))) {
            throw new IllegalStateException("a sender did not send its messages in 60 minutes");
          }
        } catch (Exception e) {
          failures.add(e);
        }
      }, "fill-" + k);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    System.out.printf("queued %,d messages for each of %d receivers from %d senders in %.1f s%n", count,
        receiverNumbers.size(), senderNumbers.size(), (System.nanoTime() - start) / 1e9);
  }

  private Drain drain(URI url, Path receiverDir, int batch, List<String> senderNumbers, int messages)
      throws Exception {
    Path file = receiverDir.resolve("parley.mv.db");
    long file0 = Files.size(file);
    AtomicLong peak = new AtomicLong(file0);
    ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(() -> {
      try {
        peak.accumulateAndGet(Files.size(file), Math::max);
      } catch (IOException ignored) {
        // between a compaction's rename and the next sample
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
    long written0 = writeBytes();
    double cpu0 = AttachmentBench.cpuSeconds(ProcessHandle.current().pid());
    long start = System.nanoTime();
    AtomicInteger received = new AtomicInteger();
    try (ClientComponents components = ClientComponents.open(ClientOptions.of(receiverDir, url),
        FaultInjection.NONE, batch)) {
      ParleyClient receiver = components.client();
      receiver.addListener(new ParleyListener() {
        @Override
        public void messageReceived(Message message) {
          received.incrementAndGet();
        }
      });
      receiver.connect();
      if (!receiver.awaitQueueDrained(Duration.ofMinutes(30))) {
        throw new IllegalStateException("the receiver did not drain its queue in 30 minutes");
      }
      long drained = System.nanoTime();
      double cpu = AttachmentBench.cpuSeconds(ProcessHandle.current().pid()) - cpu0;
      long written = writeBytes() - written0;
      long growth = Files.size(receiverDir.resolve("parley.mv.db")) - file0;
      if (received.get() != messages) {
        throw new IllegalStateException("received " + received.get() + " of " + messages + " messages");
      }
      receiver.awaitOutboxEmpty(Duration.ofMinutes(30));
      double receipts = (System.nanoTime() - start) / 1e9;
      long beforeClose = Files.size(file);
      long closing = System.nanoTime();
      components.close();
      double closeSeconds = (System.nanoTime() - closing) / 1e9;
      sampler.shutdown();
      long afterClose = Files.size(file);
      // Footprint: what the file holds per stored message once the client was closed and opened again.
      long stored = 0;
      try (ParleyClient reopened = ParleyClient.open(ClientOptions.of(receiverDir, url))) {
        for (String sender : senderNumbers) {
          stored += reopened.history(sender, Integer.MAX_VALUE).size();
        }
      }
      return new Drain(messages, (drained - start) / 1e9, cpu, written, growth, receipts, beforeClose, closeSeconds,
          peak.get(),
          afterClose, Files.size(file), stored);
    } finally {
      sampler.shutdownNow();
    }
  }

  /** Bytes this process caused to be written to storage, from /proc/self/io. */
  static long writeBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
      if (line.startsWith("write_bytes:")) {
        return Long.parseLong(line.substring("write_bytes:".length()).trim());
      }
    }
    throw new IOException("/proc/self/io has no write_bytes");
  }

  private static ParleyClient register(URI server, Path serverDataDir, Path dataDir, String number)
      throws Exception {
    Files.createDirectories(dataDir);
    ParleyClient client = ParleyClient.open(ClientOptions.of(dataDir, server));
    client.requestCode(number);
    String code = Files.readAllLines(serverDataDir.resolve("dev-sms.txt")).stream()
        .filter(line -> line.startsWith(number + " ")).reduce((a, b) -> b).orElseThrow().split(" ")[1];
    client.verify(code);
    return client;
  }
}
