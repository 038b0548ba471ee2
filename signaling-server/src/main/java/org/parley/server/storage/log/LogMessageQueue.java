package org.parley.server.storage.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.MessageQueue;
import org.parley.server.storage.QueuedMessage;
import org.parley.server.storage.log.Op.Barrier;
import org.parley.server.storage.log.Op.Delete;
import org.parley.server.storage.log.Op.DeleteAccount;
import org.parley.server.storage.log.Op.DeleteByGuid;
import org.parley.server.storage.log.Op.Insert;
import org.parley.server.storage.log.Op.Purge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message queues as an append-only log of segment files ({@code 00000000000000000001.log}, …) plus an in-memory
 * index of where each live message's record is (see {@link Records} for the format, {@link DeviceQueue} for the
 * index). One writer thread applies operations group-commit style: it drains everything submitted, encodes it into
 * one buffer, writes it with one {@code write(2)} (and, with {@link Settings#fsyncEachBatch()}, one {@code fsync}),
 * and only then completes the futures. Without fsync an insert survives a killed process (the page cache keeps it)
 * but not a power failure.
 *
 * <p>Segments roll at {@link Settings#segmentBytes()}. A segment is deleted once none of its messages is live and no
 * record in it is still needed to cancel a STORE in an older segment (an ACK or purge). Compaction copies the live
 * records of a mostly dead segment (or, when the disk holds more than twice the live data, of the oldest segment)
 * into the active one, forces the copy to disk, and then deletes the old segment. On open, the segments are replayed
 * in order; a torn or corrupt record ends its segment, which is cut there with a warning.
 *
 * <p>This class holds the API, the writer loop and the per-device index; {@link SegmentWriter} the files and the
 * record encoding, {@link Compaction} the copying, {@link Recovery} the replay on open.
 */
public final class LogMessageQueue implements MessageQueue {

  private static final Logger log = LoggerFactory.getLogger(LogMessageQueue.class);
  private static final int MAX_BATCH = 4096;
  private static final int MAX_STRING_CHARS = Records.MAX_STRING_BYTES / 3;
  private static final int MAX_ENVELOPE_BYTES = Records.MAX_BODY - Records.STORE_FIXED - 2 * Records.MAX_STRING_BYTES;
  /** Bytes of a segment compaction scans between two batches of operations, so senders are not held up long. */
  private static final long COMPACTION_STEP_BYTES = 4L << 20;

  /**
   * @param segmentBytes size at which the active segment is sealed and a new one begun (4 KiB to 1 GiB)
   * @param fsyncEachBatch force each batch to the device before completing it (survives power loss; costs one
   *     fsync per batch); off, a batch is durable against the process being killed
   * @param autoCompact let the writer compact segments by itself when idle or every few batches
   */
  public record Settings(long segmentBytes, boolean fsyncEachBatch, boolean autoCompact) {
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

    public Settings {
      if (segmentBytes < 4096 || segmentBytes > (1L << 30)) {
        throw new IllegalArgumentException("segment size must be between 4 KiB and 1 GiB, not " + segmentBytes);
      }
    }

    public static Settings defaults() {
      return new Settings(DEFAULT_SEGMENT_BYTES, false, true);
    }
  }

  private final Path dir;
  private final Clock clock;
  private final Settings settings;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final BlockingQueue<Op<?>> ops = new LinkedBlockingQueue<>();
  private final Map<DeviceAddress, DeviceQueue> queues = new ConcurrentHashMap<>();
  private final AtomicLong lastId;
  private final Thread writer;
  private volatile boolean running = true;
  private volatile boolean stopped;
  private volatile Throwable failure;
  private volatile long totalDepth;
  /** {@link #liveBytes} as of the last batch, for any thread. */
  private volatile long storedBytes;
  /** The segment files; its {@link SegmentWriter#table()} is for any thread, the rest the writer thread's. */
  private final SegmentWriter files;

  // Writer thread only.
  private final Compaction compaction;
  private final DeviceQueue.Removal releaser = this::released;
  private long depth;
  /** Bytes of the live STORE records (records, not segment files: compaction keeps files within about twice this). */
  private long liveBytes;
  private volatile long batches;

  public LogMessageQueue(Path dir, Clock clock) {
    this(dir, clock, Settings.defaults());
  }

  /** Opens (creating if needed) the queue in {@code dir}, recovering whatever the segment files hold. */
  public LogMessageQueue(Path dir, Clock clock, Settings settings) {
    this.dir = dir;
    this.clock = clock;
    this.settings = settings;
    long started = System.nanoTime();
    try {
      Files.createDirectories(dir);
      lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("opening the message queue in " + dir, e);
    }
    try {
      lock = lockChannel.tryLock();
      if (lock == null) {
        throw new IllegalStateException("the message queue in " + dir + " is open in another process");
      }
      Recovery.Result recovered = Recovery.run(dir, clock.millis(), queues);
      lastId = new AtomicLong(recovered.maxId());
      depth = recovered.totalDepth();
      totalDepth = depth;
      for (Segment s : recovered.segments()) {
        liveBytes += s.liveBytes;
      }
      storedBytes = liveBytes;
      files = new SegmentWriter(dir, settings, recovered.segments(), lastId::get);
      compaction = new Compaction(files, queues, settings.segmentBytes());
      log.info("Message queue in {}: {} messages waiting in {} segments, last id {}, opened in {} ms", dir, depth,
          files.segments().size(), lastId.get(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      if (e instanceof OverlappingFileLockException) {
        throw new IllegalStateException("the message queue in " + dir + " is already open", e);
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException("opening the message queue in " + dir, io);
      }
      throw (RuntimeException) e;
    }
    writer = new Thread(this::writeLoop, "message-queue-writer");
    writer.setDaemon(true);
    writer.start();
  }

  private void closeQuietly() {
    try {
      lockChannel.close();
    } catch (IOException ignored) {
      // already failing
    }
  }

  // ---------------------------------------------------------------- API (any thread)

  @Override
  public long nextId() {
    return lastId.incrementAndGet();
  }

  @Override
  public CompletableFuture<Void> insert(List<QueuedMessage> messages) {
    Insert insert = new Insert(List.copyOf(messages));
    for (QueuedMessage m : insert.messages) {
      String problem = invalid(m);
      if (problem != null) {
        insert.done.completeExceptionally(new IllegalArgumentException(problem));
        return insert.done;
      }
    }
    return submit(insert).done;
  }

  private static String invalid(QueuedMessage m) {
    if (m.destination() == null || m.envelope() == null) {
      return "message " + m.id() + " has no destination or no envelope";
    }
    if (m.destination().accountId().length() > MAX_STRING_CHARS
        || m.guid() != null && m.guid().length() > MAX_STRING_CHARS) {
      return "message " + m.id() + " has an account id or GUID longer than " + MAX_STRING_CHARS + " characters";
    }
    if (m.envelope().length > MAX_ENVELOPE_BYTES) {
      return "message " + m.id() + " has an envelope of " + m.envelope().length + " bytes; at most "
          + MAX_ENVELOPE_BYTES + " can be stored";
    }
    return null;
  }

  @Override
  public CompletableFuture<Boolean> delete(DeviceAddress device, long id) {
    return submit(new Delete(device, id)).done;
  }

  @Override
  public CompletableFuture<Boolean> deleteByGuid(DeviceAddress device, String guid) {
    return submit(new DeleteByGuid(device, guid)).done;
  }

  @Override
  public CompletableFuture<Void> sync() {
    return submit(new Barrier(Barrier.SYNC)).done;
  }

  @Override
  public void deleteAll(String accountId) {
    if (accountId.length() > MAX_STRING_CHARS) {
      return; // no stored message can belong to it
    }
    submit(new DeleteAccount(accountId)).done.join();
  }

  @Override
  public int purgeExpired(long nowMillis) {
    return submit(new Purge(nowMillis)).done.join();
  }

  /** Batches the writer has applied (for benchmarks: operations per batch). */
  long batchCount() {
    return batches;
  }

  /** Test hook: seals the active segment and starts a new one. */
  CompletableFuture<Void> requestRoll() {
    return submit(new Barrier(Barrier.ROLL)).done;
  }

  /** Test hook: runs compaction until no segment qualifies. */
  CompletableFuture<Void> requestCompaction() {
    return submit(new Barrier(Barrier.COMPACT)).done;
  }

  @Override
  public List<QueuedMessage> fetch(DeviceAddress device, long afterId, int limit) {
    DeviceQueue queue = queues.get(device);
    if (queue == null || limit <= 0) {
      return new ArrayList<>(0);
    }
    // An interrupt during FileChannel.read would close the channel for every reader; hold it back meanwhile.
    boolean interrupted = Thread.interrupted();
    try {
      for (int attempt = 0; ; attempt++) {
        try {
          return read(queue, device, afterId, limit);
        } catch (Segment.StaleSegmentException e) {
          if (stopped) {
            throw new IllegalStateException("message queue is closed");
          }
          if (attempt >= 100) {
            throw new IllegalStateException("segments of " + device + " keep being compacted under the reader");
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the message queue of " + device, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private List<QueuedMessage> read(DeviceQueue queue, DeviceAddress device, long afterId, int limit)
      throws IOException {
    SegmentTable segmentsNow = files.table();
    DeviceQueue.Page page = queue.page(afterId, clock.millis(), limit, segmentsNow);
    List<QueuedMessage> result = new ArrayList<>(page.size);
    CRC32C check = new CRC32C();
    byte[] bytes = new byte[256];
    for (int i = 0; i < page.size; i++) {
      Segment segment = segmentsNow.get(page.segments[i]);
      if (segment == null) {
        throw new Segment.StaleSegmentException();
      }
      int length = page.lengths[i];
      if (bytes.length < length) {
        bytes = new byte[Math.max(length, bytes.length * 2)];
      }
      segment.read(ByteBuffer.wrap(bytes, 0, length), page.offsets[i]);
      ByteBuffer record = Records.le(bytes);
      if (!Records.crcMatches(bytes, 0, length, check) || record.getInt(0) != length - Records.HEADER_BYTES
          || bytes[8] != Records.STORE || Records.storeId(record, 0) != page.ids[i]) {
        throw new IllegalStateException("the record of message " + page.ids[i] + " in segment " + segment
            + " at offset " + page.offsets[i] + " is corrupt");
      }
      result.add(Records.decodeStore(record, 0, length, device));
    }
    return result;
  }

  @Override
  public long depth(DeviceAddress device) {
    DeviceQueue queue = queues.get(device);
    return queue == null ? 0 : queue.live();
  }

  @Override
  public long totalDepth() {
    return totalDepth;
  }

  @Override
  public long storedBytes() {
    return storedBytes;
  }

  private <T extends Op<?>> T submit(T op) {
    Throwable failed = failure;
    if (failed != null) {
      op.fail(new IllegalStateException("the message queue stopped after a write error", failed));
      return op;
    }
    if (!running) {
      op.fail(new IllegalStateException("message queue is closed"));
      return op;
    }
    ops.add(op);
    if (stopped) {
      failAll(new IllegalStateException("message queue is closed"));
    }
    return op;
  }

  private void failAll(Throwable error) {
    for (Op<?> op = ops.poll(); op != null; op = ops.poll()) {
      op.fail(error);
    }
  }

  /** Stops taking work, finishes every operation already submitted, then closes the files. */
  @Override
  public void close() {
    running = false;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- writer thread

  private void writeLoop() {
    List<Op<?>> batch = new ArrayList<>(MAX_BATCH);
    try {
      while (running || !ops.isEmpty()) {
        Op<?> first = compaction.running() ? ops.poll() : ops.poll(100, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          ops.drainTo(batch, MAX_BATCH - 1);
          applyBatch(batch);
          batch.clear();
          batches++;
        }
        if (settings.autoCompact() && (first == null || compaction.running() || (batches & 63) == 0)) {
          compaction.step(COMPACTION_STEP_BYTES);
        }
      }
      files.flush();
      files.forceActive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      log.error("message queue write failed; the queue stops taking work until it is reopened", e);
      failure = e;
      IllegalStateException error = new IllegalStateException("message queue write failed", e);
      batch.forEach(op -> op.fail(error));
    } finally {
      stopped = true;
      failAll(new IllegalStateException("message queue is closed"));
      closeFiles();
    }
  }

  private void closeFiles() {
    try {
      compaction.close();
      files.close();
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      log.warn("closing the message queue files", e);
    }
  }

  private void applyBatch(List<Op<?>> batch) throws IOException {
    for (Op<?> op : batch) {
      if (op instanceof Insert insert) {
        applyInsert(insert);
      } else if (op instanceof Delete delete) {
        applyDelete(delete);
      } else if (op instanceof DeleteByGuid delete) {
        applyDeleteByGuid(delete);
      } else if (op instanceof DeleteAccount delete) {
        applyDeleteAccount(delete);
      } else if (op instanceof Purge purge) {
        applyPurge(purge);
      } else if (op instanceof Barrier barrier) {
        if (barrier.kind == Barrier.ROLL) {
          files.roll();
        } else if (barrier.kind == Barrier.COMPACT) {
          files.flush();
          while (compaction.step(Long.MAX_VALUE)) {
            // until nothing qualifies
          }
        }
      }
    }
    files.flush();
    if (settings.fsyncEachBatch()) {
      files.forceActive();
    }
    totalDepth = depth;
    storedBytes = liveBytes;
    for (Op<?> op : batch) {
      op.complete();
    }
    files.deleteDeadSegmentsIfAny();
  }

  private void applyInsert(Insert insert) throws IOException {
    for (QueuedMessage m : insert.messages) {
      DeviceQueue queue = queues.get(m.destination());
      if (queue == null) {
        queue = new DeviceQueue(m.destination());
        queues.put(m.destination(), queue);
      }
      int offset = files.appendStore(m, queue.account);
      int length = files.lastLength();
      Segment active = files.active();
      queue.add(m.id(), m.expiresAt(), Records.guidHash(m.guid()), active.id, offset, length);
      active.live++;
      active.liveBytes += length;
      liveBytes += length;
      depth++;
    }
  }

  private void applyDelete(Delete delete) throws IOException {
    DeviceQueue queue = queues.get(delete.device);
    if (queue != null && queue.remove(delete.id)) {
      acknowledge(queue, delete.id);
      delete.result = true;
    }
  }

  private void applyDeleteByGuid(DeleteByGuid delete) throws IOException {
    DeviceQueue queue = queues.get(delete.device);
    if (queue == null || delete.guid == null) {
      return;
    }
    files.flush(); // this batch's records must be readable
    long hash = Records.guidHash(delete.guid);
    byte[] bytes = new byte[256];
    for (int at = queue.findGuid(hash, 0); at >= 0; at = queue.findGuid(hash, at + 1)) {
      int length = queue.lengthAt(at);
      if (bytes.length < length) {
        bytes = new byte[length];
      }
      files.table().get(queue.segmentAt(at)).read(ByteBuffer.wrap(bytes, 0, length), queue.offsetAt(at));
      ByteBuffer record = Records.le(bytes);
      if (delete.guid.equals(Records.storeGuid(record, 0))) {
        long id = Records.storeId(record, 0);
        queue.removeAt(at);
        acknowledge(queue, id);
        delete.result = true;
        return;
      }
    }
  }

  /** Writes the ACK of a message just removed from {@code queue}, then releases its STORE record. */
  private void acknowledge(DeviceQueue queue, long id) throws IOException {
    int segment = queue.removedSegment;
    int length = queue.removedLength;
    files.appendAck(id);
    released(segment, length);
  }

  private void applyDeleteAccount(DeleteAccount delete) throws IOException {
    files.appendPurgeAccount(delete.accountId.getBytes(StandardCharsets.UTF_8));
    for (Iterator<Map.Entry<DeviceAddress, DeviceQueue>> it = queues.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<DeviceAddress, DeviceQueue> entry = it.next();
      if (entry.getKey().accountId().equals(delete.accountId)) {
        entry.getValue().removeAll(releaser);
        it.remove();
      }
    }
  }

  private void applyPurge(Purge purge) throws IOException {
    files.appendPurgeExpired(purge.nowMillis);
    for (Iterator<DeviceQueue> it = queues.values().iterator(); it.hasNext(); ) {
      DeviceQueue queue = it.next();
      purge.result += queue.removeExpired(purge.nowMillis, releaser);
      if (queue.live() == 0) {
        it.remove(); // idle devices do not keep an index object
      }
    }
  }

  /** A STORE record in {@code segmentId} is no longer live; the record just encoded is what cancels it. */
  private void released(int segmentId, int length) {
    files.release(segmentId, length);
    liveBytes -= length;
    depth--;
  }
}
