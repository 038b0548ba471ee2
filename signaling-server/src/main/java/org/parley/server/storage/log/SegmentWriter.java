package org.parley.server.storage.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;
import org.parley.server.storage.QueuedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segment files as the {@link LogMessageQueue} writer thread sees them: records are encoded into one buffer and
 * written to the active segment in one go ({@link #flush}); the active segment rolls at the segment size; a sealed
 * segment is deleted once it holds no live message and no record still needed to cancel a STORE in an older one.
 * Everything here is the writer thread's, except {@link #table()}, which readers use to find a record's segment.
 */
final class SegmentWriter {

  private static final Logger log = LoggerFactory.getLogger(SegmentWriter.class);

  private final Path dir;
  private final long segmentBytes;
  private final boolean fsyncEachBatch;
  /** The highest message id handed out, written into each new segment's header record. */
  private final LongSupplier lastId;
  private final List<Segment> segments;
  private final CRC32C crc = new CRC32C();
  private volatile SegmentTable table = SegmentTable.EMPTY;
  private ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
  private Segment active;
  /** The segment {@link Compaction} copies out of: never deleted meanwhile, and segments sealed meanwhile are forced. */
  private Segment compacting;
  private boolean maybeDead;
  private int lastLength;

  /** Takes over the recovered segments, starts a new active segment after them and deletes those already dead. */
  SegmentWriter(Path dir, LogMessageQueue.Settings settings, List<Segment> recovered, LongSupplier lastId)
      throws IOException {
    this.dir = dir;
    this.segmentBytes = settings.segmentBytes();
    this.fsyncEachBatch = settings.fsyncEachBatch();
    this.lastId = lastId;
    this.segments = new ArrayList<>(recovered);
    for (Segment s : segments) {
      table = table.with(s);
    }
    try {
      int nextSegment = segments.isEmpty() ? 1 : segments.get(segments.size() - 1).id + 1;
      active = createSegment(nextSegment);
      flush();
      maybeDead = true;
      deleteDeadSegments();
    } catch (IOException | RuntimeException e) {
      if (active != null && active.appender != null) {
        try {
          active.appender.close();
        } catch (IOException ignored) {
          // already failing
        }
      }
      throw e;
    }
  }

  /** The segments by id, for any thread. */
  SegmentTable table() {
    return table;
  }

  Segment active() {
    return active;
  }

  /** Every segment not deleted yet, oldest first. */
  List<Segment> segments() {
    return segments;
  }

  Segment compacting() {
    return compacting;
  }

  void compacting(Segment segment) {
    compacting = segment;
  }

  // ---------------------------------------------------------------- records

  /** Encodes a STORE record; returns its offset in the active segment ({@link #lastLength()} is its length). */
  int appendStore(QueuedMessage m, byte[] account) throws IOException {
    String guid = m.guid();
    boolean asciiGuid = guid == null || Records.ascii(guid);
    byte[] guidBytes = asciiGuid ? null : guid.getBytes(StandardCharsets.UTF_8);
    int guidLength = guid == null ? 0 : asciiGuid ? guid.length() : guidBytes.length;
    byte[] envelope = m.envelope();
    int length = Records.HEADER_BYTES + Records.STORE_FIXED + account.length + guidLength + envelope.length;
    int offset = reserve(length);
    int start = buf.position();
    buf.putInt(length - Records.HEADER_BYTES).putInt(0).put(Records.STORE)
        .putLong(m.id()).putLong(m.acceptedAt()).putLong(m.expiresAt()).putInt(m.destination().deviceId())
        .putShort((short) account.length).put(account)
        .putShort((short) (guid == null ? Records.NO_GUID : guidLength));
    if (guidBytes != null) {
      buf.put(guidBytes);
    } else if (guid != null) {
      for (int i = 0; i < guidLength; i++) {
        buf.put((byte) guid.charAt(i));
      }
    }
    buf.putInt(envelope.length).put(envelope);
    Records.seal(buf, start, crc);
    lastLength = length;
    return offset;
  }

  /** Length of the record the last {@link #appendStore} encoded. */
  int lastLength() {
    return lastLength;
  }

  /** Encodes the ACK that removes message {@code id}. */
  void appendAck(long id) throws IOException {
    reserve(Records.ACK_RECORD_BYTES);
    int start = buf.position();
    buf.putInt(8).putInt(0).put(Records.ACK).putLong(id);
    Records.seal(buf, start, crc);
  }

  /** Encodes the record that removes every message of an account ({@code account} in UTF-8). */
  void appendPurgeAccount(byte[] account) throws IOException {
    reserve(Records.HEADER_BYTES + 2 + account.length);
    int start = buf.position();
    buf.putInt(2 + account.length).putInt(0).put(Records.PURGE_ACCOUNT).putShort((short) account.length).put(account);
    Records.seal(buf, start, crc);
  }

  /** Encodes the record that removes every message expired at {@code nowMillis}. */
  void appendPurgeExpired(long nowMillis) throws IOException {
    reserve(Records.HEADER_BYTES + 8);
    int start = buf.position();
    buf.putInt(8).putInt(0).put(Records.PURGE_EXPIRED).putLong(nowMillis);
    Records.seal(buf, start, crc);
  }

  /** Appends a record, already sealed, as it is (compaction's copy); returns its offset in the active segment. */
  int appendCopy(byte[] record, int start, int length) throws IOException {
    int offset = reserve(length);
    buf.put(record, start, length);
    return offset;
  }

  /**
   * A STORE record of {@code length} bytes in {@code segmentId} is no longer live; the record just encoded, in the
   * active segment, is what cancels it.
   */
  void release(int segmentId, int length) {
    Segment segment = table.get(segmentId);
    segment.live--;
    segment.liveBytes -= length;
    if (segment != active) {
      segment.addDependent(active);
      if (segment.live == 0) {
        maybeDead = true;
      }
    }
  }

  // ---------------------------------------------------------------- files

  /** Makes room for a record of {@code length} bytes; returns its offset in the (possibly new) active segment. */
  private int reserve(int length) throws IOException {
    long used = active.size + buf.position();
    if (used + length > segmentBytes && used > Records.HEADER_RECORD_BYTES) {
      roll();
    }
    if (buf.remaining() < length) {
      flush();
      if (buf.capacity() < length) {
        buf = ByteBuffer.allocateDirect(Integer.highestOneBit(length) << 1).order(ByteOrder.LITTLE_ENDIAN);
      }
    }
    return (int) (active.size + buf.position());
  }

  /** Writes the buffer to the active segment. */
  void flush() throws IOException {
    if (buf.position() == 0) {
      return;
    }
    buf.flip();
    FileChannel channel = active.appender;
    long size = active.size;
    while (buf.hasRemaining()) {
      size += channel.write(buf);
    }
    buf.clear();
    active.size = size;
    active.written = size;
  }

  /** Forces what {@link #flush} wrote to the active segment to the device. */
  void forceActive() throws IOException {
    active.appender.force(false);
  }

  /** Seals the active segment and starts a new one. */
  void roll() throws IOException {
    flush();
    Segment sealed = active;
    if (fsyncEachBatch || compacting != null) {
      sealed.appender.force(false);
    }
    sealed.appender.close();
    sealed.appender = null;
    active = createSegment(sealed.id + 1);
    maybeDead = true;
  }

  private Segment createSegment(int id) throws IOException {
    Segment segment = new Segment(id, dir.resolve(Segment.fileName(id)));
    segment.appender = FileChannel.open(segment.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    if (fsyncEachBatch) {
      forceDirectory();
    }
    segments.add(segment);
    table = table.with(segment);
    int start = buf.position();
    buf.putInt(8).putInt(0).put(Records.HEADER).putLong(lastId.getAsLong());
    Records.seal(buf, start, crc);
    return segment;
  }

  /** Makes file creations and deletions in the directory durable (best effort: not every file system can). */
  void forceDirectory() {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException e) {
      log.debug("cannot force directory {}", dir, e);
    }
  }

  /** Deletes dead segments if a release or a roll since the last time may have left one. */
  void deleteDeadSegmentsIfAny() throws IOException {
    if (maybeDead) {
      deleteDeadSegments();
    }
  }

  /** Deletes every sealed segment with no live message and no record still needed; repeats while that frees more. */
  void deleteDeadSegments() throws IOException {
    maybeDead = false;
    boolean freed = true;
    while (freed) {
      freed = false;
      for (Iterator<Segment> it = segments.iterator(); it.hasNext(); ) {
        Segment s = it.next();
        if (s != active && s != compacting && s.live == 0 && s.pending == 0) {
          it.remove();
          s.retire();
          Files.deleteIfExists(s.path);
          table = table.without(s.id);
          if (fsyncEachBatch && s.dependentCount() > 0) {
            forceDirectory(); // the STOREs are gone for good before the records cancelling them may go
          }
          for (int i = 0; i < s.dependentCount(); i++) {
            Segment later = table.get(s.dependent(i));
            if (later != null) {
              later.pending--;
            }
          }
          freed = true;
        }
      }
    }
  }

  /** Closes every segment's channels (the files stay). */
  void close() throws IOException {
    for (Segment s : segments) {
      s.retire();
    }
  }
}
