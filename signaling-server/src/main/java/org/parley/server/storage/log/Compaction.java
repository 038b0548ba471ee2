package org.parley.server.storage.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.parley.server.storage.DeviceAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction of the {@link LogMessageQueue} segments, on the writer thread: copies the live STORE records of a mostly
 * dead segment (or, when the files hold more than about twice the live data, of the oldest segment) into the active
 * one, a step at a time so that senders are not held up long, then forces the copies to disk and lets the old
 * segment be deleted.
 */
final class Compaction {

  private static final Logger log = LoggerFactory.getLogger(Compaction.class);

  private final SegmentWriter files;
  private final Map<DeviceAddress, DeviceQueue> queues;
  private final long segmentBytes;
  private SegmentReader reader;
  // The records copied in one step; the index learns their new place once the copies are written.
  private DeviceQueue[] moveQueues = new DeviceQueue[64];
  private long[] moveIds = new long[64];
  private int[] moveSegments = new int[64];
  private int[] moveOffsets = new int[64];
  private int[] moveLengths = new int[64];

  Compaction(SegmentWriter files, Map<DeviceAddress, DeviceQueue> queues, long segmentBytes) {
    this.files = files;
    this.queues = queues;
    this.segmentBytes = segmentBytes;
  }

  /** Whether a segment is half copied (the writer then keeps stepping instead of waiting for work). */
  boolean running() {
    return files.compacting() != null;
  }

  /**
   * Copies up to {@code budget} bytes' worth of a segment's live records into the active segment; when the segment
   * is done, forces the copies to disk and lets it be deleted. Returns whether there was anything to do.
   */
  boolean step(long budget) throws IOException {
    if (files.compacting() == null) {
      Segment next = pick();
      if (next == null) {
        return false;
      }
      files.compacting(next);
      reader = new SegmentReader(next.path);
    }
    Segment source = files.compacting();
    long scanned = 0;
    int moves = 0;
    boolean finished = false;
    while (scanned < budget) {
      if (source.live == 0 || !reader.next()) {
        finished = true;
        break;
      }
      scanned += reader.length();
      if (reader.type() != Records.STORE) {
        continue;
      }
      ByteBuffer record = reader.buffer();
      int start = reader.start();
      DeviceQueue queue = queues.get(
          new DeviceAddress(Records.storeAccount(record, start), Records.storeDeviceId(record, start)));
      long id = Records.storeId(record, start);
      int at = queue == null ? -1 : queue.find(id);
      if (at < 0 || queue.segmentAt(at) != source.id || queue.offsetAt(at) != reader.offset()) {
        continue; // dead
      }
      int length = reader.length();
      int offset = files.appendCopy(reader.array(), start, length);
      if (moves == moveIds.length) {
        growMoves();
      }
      moveQueues[moves] = queue;
      moveIds[moves] = id;
      moveSegments[moves] = files.active().id;
      moveOffsets[moves] = offset;
      moveLengths[moves] = length;
      moves++;
    }
    files.flush();
    SegmentTable table = files.table();
    for (int i = 0; i < moves; i++) {
      DeviceQueue queue = moveQueues[i];
      Segment target = table.get(moveSegments[i]);
      queue.relocate(queue.find(moveIds[i]), target.id, moveOffsets[i]);
      source.live--;
      source.liveBytes -= moveLengths[i];
      target.live++;
      target.liveBytes += moveLengths[i];
      source.addDependent(target);
      moveQueues[i] = null;
    }
    if (finished) {
      String problem = reader.problem();
      long problemAt = reader.validEnd();
      reader.close();
      reader = null;
      if (problem != null && source.live > 0) {
        log.error("Message queue segment {} cannot be compacted: {} at offset {}; {} messages stay in it", source,
            problem, problemAt, source.live);
        source.uncompactable = true;
      }
      files.forceActive(); // the copies are durable before the original goes
      files.forceDirectory();
      files.compacting(null);
      files.deleteDeadSegments();
    }
    return true;
  }

  /** Closes the segment being read, if any. */
  void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
  }

  private Segment pick() {
    long total = 0;
    long live = 0;
    for (Segment s : files.segments()) {
      total += s.size;
      live += s.liveBytes;
    }
    for (Segment s : files.segments()) {
      if (compactable(s) && s.liveBytes * 2 < s.size) {
        return s;
      }
    }
    if (total > 2 * live + 2 * segmentBytes) {
      for (Segment s : files.segments()) {
        if (compactable(s)) {
          return s;
        }
      }
    }
    return null;
  }

  private boolean compactable(Segment s) {
    return s != files.active() && s.live > 0 && s.pending == 0 && !s.uncompactable;
  }

  private void growMoves() {
    int capacity = moveIds.length * 2;
    moveQueues = Arrays.copyOf(moveQueues, capacity);
    moveIds = Arrays.copyOf(moveIds, capacity);
    moveSegments = Arrays.copyOf(moveSegments, capacity);
    moveOffsets = Arrays.copyOf(moveOffsets, capacity);
    moveLengths = Arrays.copyOf(moveLengths, capacity);
  }
}
