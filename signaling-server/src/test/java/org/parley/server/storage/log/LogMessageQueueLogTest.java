package org.parley.server.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.QueuedMessage;
import org.slf4j.LoggerFactory;

/** What is particular to the log: torn and corrupt records, rolling, segment deletion, compaction, recovery. */
class LogMessageQueueLogTest {

  private static final long FAR = Long.MAX_VALUE / 2;
  private static final DeviceAddress KEEP = new DeviceAddress("+15550001", 1);
  private static final DeviceAddress GONE = new DeviceAddress("+15550002", 1);
  private static final LogMessageQueue.Settings SMALL = new LogMessageQueue.Settings(4096, false, false);

  @TempDir
  Path dir;
  private LogMessageQueue queue;
  private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
  private final Logger recoveryLog = (Logger) LoggerFactory.getLogger(Recovery.class);

  @BeforeEach
  void captureWarnings() {
    warnings.start();
    recoveryLog.addAppender(warnings);
  }

  @AfterEach
  void close() {
    recoveryLog.detachAppender(warnings);
    if (queue != null) {
      queue.close();
    }
  }

  private LogMessageQueue open(LogMessageQueue.Settings settings) {
    if (queue != null) {
      queue.close();
    }
    queue = new LogMessageQueue(dir, Clock.systemUTC(), settings);
    return queue;
  }

  private QueuedMessage message(DeviceAddress to, String body) {
    return message(to, body, FAR);
  }

  private QueuedMessage message(DeviceAddress to, String body, long expiresAt) {
    long id = queue.nextId();
    return new QueuedMessage(id, to, "guid-" + id, 42, expiresAt, body.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> bodies(DeviceAddress device) {
    return queue.fetch(device, 0, 100_000).stream()
        .map(m -> new String(m.envelope(), StandardCharsets.UTF_8)).toList();
  }

  private List<Integer> segmentIds() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> Segment.parseFileName(p.getFileName().toString())).filter(id -> id >= 0).sorted()
          .toList();
    }
  }

  private Path segment(int id) {
    return dir.resolve(Segment.fileName(id));
  }

  private long diskBytes() throws IOException {
    long total = 0;
    for (int id : segmentIds()) {
      total += Files.size(segment(id));
    }
    return total;
  }

  private List<String> warningsText() {
    return warnings.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void aTornLastRecordIsCutOffAndEverythingBeforeItStays() throws Exception {
    open(SMALL);
    queue.insert(List.of(message(KEEP, "one"), message(KEEP, "two"), message(KEEP, "three"))).join();
    queue.close();
    Path file = segment(1);
    long size = Files.size(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size - 3); // the last record loses its tail, as when the process dies mid-write
    }

    open(SMALL);
    assertThat(bodies(KEEP)).containsExactly("one", "two");
    assertThat(queue.depth(KEEP)).isEqualTo(2);
    assertThat(warningsText()).singleElement().asString().contains("torn record");
    assertThat(Files.size(file)).as("cut at the last good record").isLessThan(size - 3);

    queue.insert(List.of(message(KEEP, "four"))).join();
    open(SMALL);
    assertThat(bodies(KEEP)).containsExactly("one", "two", "four");
  }

  @Test
  void garbageAfterTheLastRecordIsCutOff() throws Exception {
    open(SMALL);
    queue.insert(List.of(message(KEEP, "one"), message(KEEP, "two"))).join();
    queue.close();
    long size = Files.size(segment(1));
    byte[] garbage = new byte[100];
    new Random(7).nextBytes(garbage);
    Files.write(segment(1), garbage, StandardOpenOption.APPEND);

    open(SMALL);
    assertThat(bodies(KEEP)).containsExactly("one", "two");
    assertThat(warningsText()).hasSize(1);
    assertThat(Files.size(segment(1))).isEqualTo(size);
  }

  @Test
  void aFlippedByteInARecordIsCaughtByTheCrc() throws Exception {
    open(SMALL);
    queue.insert(List.of(message(KEEP, "first message"), message(KEEP, "second message"),
        message(KEEP, "third message"))).join();
    queue.close();
    byte[] bytes = Files.readAllBytes(segment(1));
    int at = indexOf(bytes, "second message".getBytes(StandardCharsets.UTF_8));
    bytes[at + 3] ^= 0x10;
    Files.write(segment(1), bytes);

    open(SMALL);
    assertThat(bodies(KEEP)).as("nothing corrupt is delivered; the log ends before the bad record")
        .containsExactly("first message");
    assertThat(warningsText()).singleElement().asString().contains("CRC mismatch");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void segmentsRollAndFullyAcknowledgedOnesAreDeleted() throws Exception {
    open(SMALL);
    List<QueuedMessage> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      QueuedMessage m = message(KEEP, "body " + i + " " + "x".repeat(200));
      sent.add(m);
      queue.insert(List.of(m)).join();
    }
    assertThat(segmentIds()).hasSizeGreaterThan(5);
    for (QueuedMessage m : sent) {
      assertThat(queue.delete(KEEP, m.id()).join()).isTrue();
    }
    queue.sync().join();
    assertThat(segmentIds()).as("only the active segment is left").hasSize(1);
    assertThat(queue.totalDepth()).isZero();

    long lastId = sent.get(sent.size() - 1).id();
    open(SMALL);
    assertThat(queue.fetch(KEEP, 0, 1000)).isEmpty();
    assertThat(queue.nextId()).as("ids keep growing though every record of them is gone").isGreaterThan(lastId);
  }

  @Test
  void anAckOutlivesNoStoreItCancelsEvenAcrossCompaction() throws Exception {
    open(SMALL);
    QueuedMessage kept = message(KEEP, "kept");
    QueuedMessage acked = message(GONE, "acked " + "y".repeat(1000));
    queue.insert(List.of(kept, acked)).join();
    queue.requestRoll().join();
    assertThat(queue.delete(GONE, acked.id()).join()).isTrue(); // the ACK goes into segment 2
    queue.requestRoll().join();
    assertThat(segmentIds()).as("segment 2 holds nothing live but still cancels a STORE in segment 1")
        .contains(1, 2);

    open(SMALL);
    assertThat(bodies(GONE)).isEmpty();
    assertThat(bodies(KEEP)).containsExactly("kept");

    // Keep the files as a crash between "copy made durable" and "old segments deleted" would leave them.
    byte[] segment1 = Files.readAllBytes(segment(1));
    byte[] segment2 = Files.readAllBytes(segment(2));
    queue.requestCompaction().join();
    assertThat(segmentIds()).as("compacted, then the ACK segment went with it").doesNotContain(1, 2);
    assertThat(bodies(KEEP)).containsExactly("kept");

    open(SMALL);
    assertThat(bodies(GONE)).isEmpty();
    assertThat(bodies(KEEP)).containsExactly("kept");
    assertThat(queue.totalDepth()).isEqualTo(1);

    queue.close();
    Files.write(segment(1), segment1);
    Files.write(segment(2), segment2);
    open(SMALL);
    assertThat(bodies(GONE)).as("the acknowledged message stays gone").isEmpty();
    assertThat(queue.fetch(KEEP, 0, 10)).as("the original and its copy count once")
        .singleElement().extracting(QueuedMessage::id).isEqualTo(kept.id());
    assertThat(queue.totalDepth()).isEqualTo(1);

    assertThat(queue.delete(KEEP, kept.id()).join()).isTrue();
    open(SMALL);
    assertThat(queue.totalDepth()).isZero();
    assertThat(bodies(KEEP)).isEmpty();
  }

  @Test
  void compactionKeepsExactlyTheLiveMessagesAcrossReopening() throws Exception {
    open(SMALL);
    List<String> expected = new ArrayList<>();
    List<QueuedMessage> toAck = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      QueuedMessage keep = message(KEEP, "keep " + i);
      QueuedMessage gone = message(GONE, "gone " + i + " " + "z".repeat(300));
      queue.insert(List.of(keep, gone)).join();
      expected.add("keep " + i);
      toAck.add(gone);
    }
    for (QueuedMessage m : toAck) {
      queue.delete(GONE, m.id());
    }
    queue.sync().join();
    long before = diskBytes();
    int filesBefore = segmentIds().size();

    queue.requestCompaction().join();
    assertThat(diskBytes()).isLessThan(before / 2);
    assertThat(segmentIds().size()).isLessThan(filesBefore);
    assertThat(bodies(KEEP)).containsExactlyElementsOf(expected);

    open(SMALL);
    assertThat(bodies(KEEP)).containsExactlyElementsOf(expected);
    assertThat(bodies(GONE)).isEmpty();
    assertThat(queue.depth(KEEP)).isEqualTo(200);
    assertThat(queue.totalDepth()).isEqualTo(200);
    List<QueuedMessage> page = queue.fetch(KEEP, 0, 1000);
    assertThat(page).extracting(QueuedMessage::guid).doesNotHaveDuplicates().allMatch(g -> g.startsWith("guid-"));
    assertThat(page).extracting(QueuedMessage::acceptedAt).containsOnly(42L);
  }

  @Test
  void purgesAndAccountDeletionsStayAppliedAfterReopeningAndCompaction() throws Exception {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.ofEpochMilli(1_000));
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    queue = new LogMessageQueue(dir, clock, SMALL);
    DeviceAddress other = new DeviceAddress("+15550003", 2);
    queue.insert(List.of(message(KEEP, "expires " + "e".repeat(900), 5_000), message(KEEP, "stays", FAR),
        message(GONE, "g1 " + "g".repeat(900)), message(new DeviceAddress(GONE.accountId(), 2), "g2"),
        message(other, "other"))).join();
    queue.requestRoll().join();
    assertThat(queue.purgeExpired(6_000)).isEqualTo(1);
    queue.deleteAll(GONE.accountId());
    queue.requestRoll().join();
    assertThat(queue.totalDepth()).isEqualTo(2);
    assertThat(segmentIds()).as("the purge records in segment 2 cancel STOREs in segment 1").contains(1, 2);

    queue.close();
    queue = new LogMessageQueue(dir, clock, SMALL); // still at 1,000 ms: only the purge record hides "expires"
    assertThat(bodies(KEEP)).containsExactly("stays");
    assertThat(bodies(GONE)).isEmpty();
    assertThat(bodies(new DeviceAddress(GONE.accountId(), 2))).isEmpty();
    assertThat(bodies(other)).containsExactly("other");
    assertThat(queue.totalDepth()).isEqualTo(2);
    assertThat(segmentIds()).as("recovery knows segment 2 is still needed").contains(1, 2);

    queue.requestCompaction().join();
    assertThat(segmentIds()).doesNotContain(1, 2);
    queue.close();
    queue = new LogMessageQueue(dir, clock, SMALL);
    assertThat(bodies(KEEP)).containsExactly("stays");
    assertThat(bodies(GONE)).isEmpty();
    assertThat(bodies(other)).containsExactly("other");

    // Stored after the deletion: the old purge record must not hide it.
    queue.insert(List.of(message(GONE, "after"))).join();
    queue.close();
    queue = new LogMessageQueue(dir, clock, SMALL);
    assertThat(bodies(GONE)).containsExactly("after");
  }

  @Test
  void withFsyncEachBatchEverythingStillWorks() throws Exception {
    LogMessageQueue.Settings fsync = new LogMessageQueue.Settings(4096, true, true);
    open(fsync);
    List<QueuedMessage> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sent.add(message(KEEP, "synced " + i + " " + "s".repeat(150)));
    }
    queue.insert(sent).join();
    assertThat(queue.delete(KEEP, sent.get(0).id()).join()).isTrue();
    open(fsync);
    assertThat(bodies(KEEP)).hasSize(39).first().isEqualTo("synced 1 " + "s".repeat(150));
    assertThat(segmentIds()).hasSizeGreaterThan(1);
  }

  @Test
  void badInputIsRefusedWithAClearErrorAndNothingIsStored() {
    open(SMALL);
    byte[] huge = new byte[Records.MAX_BODY];
    CompletableFuture<Void> refused = queue.insert(List.of(
        new QueuedMessage(queue.nextId(), KEEP, "g", 0, FAR, huge)));
    assertThatThrownBy(refused::join).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("envelope of");
    assertThat(queue.totalDepth()).isZero();
    assertThatThrownBy(() -> new LogMessageQueue(dir, Clock.systemUTC(), SMALL))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already open");
  }

  @Test
  void deleteByGuidFindsOnlyTheDevicesOwnMessage() {
    open(SMALL);
    QueuedMessage mine = message(KEEP, "mine");
    QueuedMessage theirs = new QueuedMessage(queue.nextId(), GONE, mine.guid(), 0, FAR, new byte[] {1});
    queue.insert(List.of(mine, theirs)).join();
    assertThat(queue.deleteByGuid(KEEP, "no-such-guid").join()).isFalse();
    assertThat(queue.deleteByGuid(KEEP, mine.guid()).join()).isTrue();
    assertThat(queue.depth(GONE)).isEqualTo(1);
    assertThat(queue.deleteByGuid(GONE, mine.guid()).join()).isTrue();
    assertThat(queue.totalDepth()).isZero();
  }

  /**
   * Many threads insert, fetch and acknowledge at once while tiny segments roll and compaction runs by itself; what
   * is left, before and after reopening, is exactly what was not acknowledged, and every fetched body matches.
   */
  @Test
  void concurrentTrafficWithCompactionLosesAndResurrectsNothing() throws Exception {
    LogMessageQueue.Settings settings = new LogMessageQueue.Settings(8192, false, true);
    open(settings);
    int threads = 4;
    int perThread = 1500;
    Map<Long, String> expected = new ConcurrentHashMap<>();
    AtomicBoolean readersDone = new AtomicBoolean();
    AtomicReference<Throwable> readerError = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try {
        while (!readersDone.get()) {
          for (int t = 0; t < threads; t++) {
            for (QueuedMessage m : queue.fetch(new DeviceAddress("acct" + t, 1), 0, 500)) {
              assertThat(new String(m.envelope(), StandardCharsets.UTF_8)).isEqualTo("m" + m.id());
            }
          }
        }
      } catch (Throwable e) {
        readerError.set(e);
      }
    });
    reader.start();
    List<CompletableFuture<Void>> work = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      work.add(CompletableFuture.runAsync(() -> {
        DeviceAddress device = new DeviceAddress("acct" + thread, 1);
        Random random = new Random(thread);
        List<QueuedMessage> mine = new ArrayList<>();
        for (int i = 0; i < perThread; i++) {
          long id = queue.nextId();
          QueuedMessage m = new QueuedMessage(id, device, "g" + id, 0, FAR,
              ("m" + id).getBytes(StandardCharsets.UTF_8));
          queue.insert(List.of(m)).join();
          mine.add(m);
          if (random.nextInt(4) > 0 && mine.size() > 20) {
            QueuedMessage ack = mine.remove(random.nextInt(mine.size()));
            boolean byGuid = random.nextInt(10) == 0;
            assertThat(byGuid ? queue.deleteByGuid(device, ack.guid()).join() : queue.delete(device, ack.id()).join())
                .isTrue();
          }
        }
        mine.forEach(m -> expected.put(m.id(), "m" + m.id()));
      }));
    }
    work.forEach(CompletableFuture::join);
    readersDone.set(true);
    reader.join();
    assertThat(readerError.get()).isNull();
    queue.sync().join();
    assertSameMessages(everything(threads), expected);
    queue.requestCompaction().join();
    assertSameMessages(everything(threads), expected);

    open(settings);
    assertSameMessages(everything(threads), expected);
    assertThat(queue.totalDepth()).isEqualTo(expected.size());
  }

  /** Compares by difference, so a failure names the few ids that differ rather than printing thousands. */
  private static void assertSameMessages(Map<Long, String> actual, Map<Long, String> expected) {
    Map<Long, String> missing = new HashMap<>(expected);
    missing.keySet().removeAll(actual.keySet());
    Map<Long, String> extra = new HashMap<>(actual);
    extra.keySet().removeAll(expected.keySet());
    assertThat(missing).as("lost").isEmpty();
    assertThat(extra).as("resurrected").isEmpty();
    assertThat(actual).isEqualTo(expected);
  }

  private Map<Long, String> everything(int threads) {
    Map<Long, String> all = new HashMap<>();
    for (int t = 0; t < threads; t++) {
      List<QueuedMessage> page = queue.fetch(new DeviceAddress("acct" + t, 1), 0, 100_000);
      assertThat(page).extracting(QueuedMessage::id).isSorted();
      page.forEach(m -> all.put(m.id(), new String(m.envelope(), StandardCharsets.UTF_8)));
    }
    return all;
  }
}
