package org.parley.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.internal.ClientComponents;
import org.parley.client.internal.connection.FaultInjection;
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

  @Option(names = "--server-jvm", split = " ", description = "JVM options for the server.")
  List<String> serverJvm = new ArrayList<>();

  /** One drained backlog. */
  record Drain(int messages, double seconds, double cpuSeconds, long bytesWritten, long fileGrowth,
      double receiptsSeconds) {
    String line() {
      return String.format("%,d messages in %.2f s: %,.0f msg/s; CPU %.2f ms/msg; written %.1f kB/msg;"
          + " file +%.1f kB/msg; receipts sent after %.2f s", messages, seconds, messages / seconds,
          cpuSeconds * 1000 / messages, bytesWritten / 1024.0 / messages, fileGrowth / 1024.0 / messages,
          receiptsSeconds);
    }
  }

  @Option(names = "--batches", split = ",", defaultValue = "1,64", description = "Inbox batch sizes to compare"
      + " (envelopes per transaction); each drains its own receiver's backlog, one after the other.")
  List<Integer> batches;

  @Override
  public Integer call() throws Exception {
    Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("parley-backlog");
    try (ServerUnderTest server = ServerUnderTest.launch(serverJar, dir.resolve("server"), serverJvm)) {
      URI url = server.http();
      String senderNumber = "+15558000001";
      List<Path> receiverDirs = new ArrayList<>();
      List<String> receiverNumbers = new ArrayList<>();
      for (int i = 0; i < batches.size(); i++) {
        String number = String.format("+155581%05d", i);
        Path receiverDir = dir.resolve("receiver-" + i);
        register(url, server.dataDir, receiverDir, number).close();
        receiverDirs.add(receiverDir);
        receiverNumbers.add(number);
      }
      try (ParleyClient sender = register(url, server.dataDir, dir.resolve("sender"), senderNumber)) {
        sender.connect();
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
          for (String receiver : receiverNumbers) {
            sender.send(receiver, "backlog message " + i + " of " + messages);
          }
        }
        if (!sender.awaitOutboxEmpty(Duration.ofMinutes(60))) {
          throw new IllegalStateException("the sender did not send its messages in 60 minutes");
        }
        System.out.printf("queued %,d messages for each of %d receivers in %.1f s%n", messages,
            receiverNumbers.size(), (System.nanoTime() - start) / 1e9);
      }
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < batches.size(); i++) {
        Drain drain = drain(url, receiverDirs.get(i), batches.get(i));
        lines.add(String.format("backlog, batch %2d: %s", batches.get(i), drain.line()));
        System.out.println(lines.get(i));
      }
      System.out.println("side by side:");
      lines.forEach(System.out::println);
    }
    return 0;
  }

  private Drain drain(URI url, Path receiverDir, int batch) throws Exception {
    long file0 = Files.size(receiverDir.resolve("parley.mv.db"));
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
      return new Drain(messages, (drained - start) / 1e9, cpu, written, growth, (System.nanoTime() - start) / 1e9);
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
