package org.parley.server.storage.log;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.MessageQueue;
import org.parley.server.storage.QueuedMessage;
import org.parley.server.storage.jdbc.Database;
import org.parley.server.storage.jdbc.JdbcMessageQueue;

/**
 * Not a test: measures the writer thread's CPU time per stored-then-acknowledged message. Producers each keep a
 * window of single-message inserts in flight, wait for them, then acknowledge them all, so the writer sees batches
 * of a few hundred operations as under load. Run (after {@code ./mvnw -pl signaling-server -am test-compile}):
 *
 * <pre>
 *   java -cp "signaling-server/target/classes:signaling-server/target/test-classes:$(cat cp.txt)" \
 *       org.parley.server.storage.log.LogQueueBenchmark [log|jdbc] [pairs] [producers] [window] [envelopeBytes] [fsync|nofsync] [keepOneIn]
 * </pre>
 */
public final class LogQueueBenchmark {

  /** When above 0, one message in this many is never acknowledged (an offline device), so compaction has work. */
  private static int keepOneIn;

  public static void main(String[] args) throws Exception {
    String kind = args.length > 0 ? args[0] : "log";
    int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int producers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int window = args.length > 3 ? Integer.parseInt(args[3]) : 128;
    int envelopeBytes = args.length > 4 ? Integer.parseInt(args[4]) : 200;
    boolean fsync = args.length > 5 && args[5].equals("fsync");
    keepOneIn = args.length > 6 ? Integer.parseInt(args[6]) : 0;
    Path dir = Files.createTempDirectory("parley-queue-bench");
    Database database = null;
    MessageQueue queue;
    if (kind.equals("jdbc")) {
      database = Database.embeddedH2(dir);
      queue = new JdbcMessageQueue(database, Clock.systemUTC());
    } else {
      queue = new LogMessageQueue(dir.resolve("queue"), Clock.systemUTC(),
          new LogMessageQueue.Settings(LogMessageQueue.Settings.DEFAULT_SEGMENT_BYTES, fsync, true));
    }
    try {
      run(queue, Math.min(pairs / 10, 200_000), producers, window, envelopeBytes, null); // warm-up
      run(queue, pairs, producers, window, envelopeBytes, fsync ? kind + " (fsync per batch)" : kind);
      if (queue instanceof LogMessageQueue) {
        Thread.sleep(2000); // let idle compaction catch up
        long bytes = 0;
        int files = 0;
        try (Stream<Path> segments = Files.list(dir.resolve("queue"))) {
          for (Path p : (Iterable<Path>) segments.filter(p -> p.toString().endsWith(".log"))::iterator) {
            bytes += Files.size(p);
            files++;
          }
        }
        System.out.printf("  on disk: %d segments, %,d bytes for %,d waiting messages%n", files, bytes,
            queue.totalDepth());
      }
    } finally {
      queue.close();
      if (database != null) {
        database.close();
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(MessageQueue queue, int pairs, int producers, int window, int envelopeBytes, String label)
      throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Thread writer = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("message-queue-writer")).findFirst().orElseThrow();
    long batchesBefore = queue instanceof LogMessageQueue log ? log.batchCount() : 0;
    long cpuBefore = mx.getThreadCpuTime(writer.getId());
    long start = System.nanoTime();
    int perProducer = pairs / producers;
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread t = new Thread(() -> produce(queue, producer, perProducer, window, envelopeBytes));
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    queue.sync().join();
    long wall = System.nanoTime() - start;
    long cpu = mx.getThreadCpuTime(writer.getId()) - cpuBefore;
    long done = (long) perProducer * producers;
    if (label != null) {
      long batches = queue instanceof LogMessageQueue log ? log.batchCount() - batchesBefore : 0;
      System.out.printf("%s: %,d insert+ack pairs, %d producers x window %d, %d-byte envelopes%n", label, done,
          producers, window, envelopeBytes);
      System.out.printf("  %,.0f pairs/s; writer thread CPU %.2f us per pair%s; depth left %d%n",
          done * 1e9 / wall, cpu / 1e3 / done,
          batches > 0 ? String.format("; %.0f operations per batch", 2.0 * done / batches) : "",
          queue.totalDepth());
    }
  }

  private static void produce(MessageQueue queue, int producer, int count, int window, int envelopeBytes) {
    byte[] envelope = new byte[envelopeBytes];
    List<CompletableFuture<?>> inflight = new ArrayList<>(window);
    long[] ids = new long[window];
    DeviceAddress[] devices = new DeviceAddress[window];
    for (int sent = 0; sent < count; ) {
      int n = Math.min(window, count - sent);
      for (int i = 0; i < n; i++) {
        long id = queue.nextId();
        DeviceAddress to = new DeviceAddress("+1555" + (producer * 1000 + (sent + i) % 1000), 1);
        ids[i] = id;
        devices[i] = to;
        inflight.add(queue.insert(List.of(new QueuedMessage(id, to, "g" + id, 0, Long.MAX_VALUE / 2, envelope))));
      }
      inflight.forEach(CompletableFuture::join);
      inflight.clear();
      for (int i = 0; i < n; i++) {
        if (keepOneIn <= 0 || (sent + i) % keepOneIn != 0) {
          inflight.add(queue.delete(devices[i], ids[i]));
        }
      }
      inflight.forEach(CompletableFuture::join);
      inflight.clear();
      sent += n;
    }
  }
}
