package org.parley.server.storage.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.parley.server.storage.DeviceAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the index from the segment files: replays every record in log order, cuts a segment at its first torn or
 * corrupt record, and works out each segment's live count and dependencies (see {@link Segment}).
 */
final class Recovery {

  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  record Result(List<Segment> segments, long maxId, long totalDepth, int truncated) {}

  private final Path dir;
  private final Map<DeviceAddress, DeviceQueue> queues;

  // One slot per message id seen, in log order.
  private final LongIntMap slotById = new LongIntMap(1 << 16);
  private int slots;
  private long[] ids = new long[1024];
  private long[] expires = new long[1024];
  private long[] guids = new long[1024];
  private long[] seqs = new long[1024];
  private int[] segmentIds = new int[1024];
  private int[] offsets = new int[1024];
  private int[] lengths = new int[1024];
  private boolean[] alive = new boolean[1024];
  private DeviceQueue[] owners = new DeviceQueue[1024];

  private long seq;
  private long maxId;
  /** Per account, where its last PURGE_ACCOUNT record is: {sequence, segment id}. */
  private final Map<String, long[]> accountPurges = new HashMap<>();
  private long[] expiryPurgeSeq = new long[8];
  private long[] expiryPurgeNow = new long[8];
  private int[] expiryPurgeSegment = new int[8];
  private int expiryPurges;

  private Recovery(Path dir, Map<DeviceAddress, DeviceQueue> queues) {
    this.dir = dir;
    this.queues = queues;
  }

  static Result run(Path dir, long nowMillis, Map<DeviceAddress, DeviceQueue> queues) throws IOException {
    return new Recovery(dir, queues).replay(nowMillis);
  }

  private Result replay(long nowMillis) throws IOException {
    List<Integer> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        int id = Segment.parseFileName(file.getFileName().toString());
        if (id >= 0) {
          found.add(id);
        }
      }
    }
    Collections.sort(found);
    List<Segment> segments = new ArrayList<>(found.size());
    Map<Integer, Segment> byId = new HashMap<>();
    int truncated = 0;
    for (int id : found) {
      Segment segment = new Segment(id, dir.resolve(Segment.fileName(id)));
      long validEnd;
      String problem;
      try (SegmentReader reader = new SegmentReader(segment.path)) {
        while (reader.next()) {
          replayRecord(reader, segment, byId);
        }
        validEnd = reader.validEnd();
        problem = reader.problem();
      }
      if (problem != null) {
        long size = Files.size(segment.path);
        log.warn("Message queue segment {}: {} at offset {}; cutting the segment there ({} of {} bytes kept)",
            segment, problem, validEnd, validEnd, size);
        try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.WRITE)) {
          channel.truncate(validEnd);
          channel.force(true);
        }
        truncated++;
      }
      segment.size = validEnd;
      segment.written = validEnd;
      segments.add(segment);
      byId.put(id, segment);
    }
    long total = settle(nowMillis, byId);
    return new Result(segments, maxId, total, truncated);
  }

  private void replayRecord(SegmentReader reader, Segment segment, Map<Integer, Segment> byId) {
    ByteBuffer b = reader.buffer();
    int start = reader.start();
    switch (reader.type()) {
      case Records.HEADER -> maxId = Math.max(maxId, b.getLong(start + Records.HEADER_BYTES));
      case Records.STORE -> {
        long id = Records.storeId(b, start);
        maxId = Math.max(maxId, id);
        int slot = slotById.get(id);
        if (slot < 0) {
          DeviceAddress address = new DeviceAddress(Records.storeAccount(b, start), Records.storeDeviceId(b, start));
          DeviceQueue owner = queues.computeIfAbsent(address, DeviceQueue::new);
          slot = newSlot(id, Records.storeExpiresAt(b, start), Records.guidHash(Records.storeGuid(b, start)), owner);
          slotById.put(id, slot);
        } else if (alive[slot]) {
          // A copy made by compaction; the original may still exist if the process died before deleting it.
          Segment original = byId.get(segmentIds[slot]);
          if (original != null && original != segment) {
            original.addDependent(segment);
          }
        } else {
          return; // cannot happen: a message is copied only while live
        }
        segmentIds[slot] = segment.id;
        offsets[slot] = (int) reader.offset();
        lengths[slot] = reader.length();
      }
      case Records.ACK -> {
        long id = b.getLong(start + Records.HEADER_BYTES);
        maxId = Math.max(maxId, id);
        int slot = slotById.get(id);
        if (slot >= 0 && alive[slot]) {
          alive[slot] = false;
          Segment storedIn = byId.get(segmentIds[slot]);
          if (storedIn != null && storedIn != segment) {
            storedIn.addDependent(segment);
          }
        }
      }
      case Records.PURGE_ACCOUNT -> accountPurges.put(Records.purgedAccount(b, start), new long[] {seq++, segment.id});
      case Records.PURGE_EXPIRED -> {
        if (expiryPurges == expiryPurgeSeq.length) {
          expiryPurgeSeq = Arrays.copyOf(expiryPurgeSeq, expiryPurges * 2);
          expiryPurgeNow = Arrays.copyOf(expiryPurgeNow, expiryPurges * 2);
          expiryPurgeSegment = Arrays.copyOf(expiryPurgeSegment, expiryPurges * 2);
        }
        expiryPurgeSeq[expiryPurges] = seq++;
        expiryPurgeNow[expiryPurges] = b.getLong(start + Records.HEADER_BYTES);
        expiryPurgeSegment[expiryPurges] = segment.id;
        expiryPurges++;
      }
      default -> throw new IllegalStateException("unexpected record type " + reader.type());
    }
  }

  private int newSlot(long id, long expiresAt, long guidHash, DeviceQueue owner) {
    if (slots == ids.length) {
      int capacity = slots * 2;
      ids = Arrays.copyOf(ids, capacity);
      expires = Arrays.copyOf(expires, capacity);
      guids = Arrays.copyOf(guids, capacity);
      seqs = Arrays.copyOf(seqs, capacity);
      segmentIds = Arrays.copyOf(segmentIds, capacity);
      offsets = Arrays.copyOf(offsets, capacity);
      lengths = Arrays.copyOf(lengths, capacity);
      alive = Arrays.copyOf(alive, capacity);
      owners = Arrays.copyOf(owners, capacity);
    }
    int slot = slots++;
    ids[slot] = id;
    expires[slot] = expiresAt;
    guids[slot] = guidHash;
    seqs[slot] = seq++;
    alive[slot] = true;
    owners[slot] = owner;
    return slot;
  }

  /** Applies the purges, fills the device queues and the segments' live counts; returns the number of messages. */
  private long settle(long nowMillis, Map<Integer, Segment> byId) {
    // latestPurgeFrom[k]: the expiry purge among k.. (they are in log order) with the largest "now".
    int[] latestPurgeFrom = new int[expiryPurges + 1];
    latestPurgeFrom[expiryPurges] = -1;
    for (int k = expiryPurges - 1; k >= 0; k--) {
      int later = latestPurgeFrom[k + 1];
      latestPurgeFrom[k] = later >= 0 && expiryPurgeNow[later] >= expiryPurgeNow[k] ? later : k;
    }
    long total = 0;
    for (int slot = 0; slot < slots; slot++) {
      if (!alive[slot] || expires[slot] <= nowMillis) {
        continue;
      }
      DeviceQueue owner = owners[slot];
      Segment storedIn = byId.get(segmentIds[slot]);
      long[] purge = accountPurges.get(owner.address.accountId());
      if (purge != null && purge[0] > seqs[slot]) {
        cancelledBy(storedIn, byId.get((int) purge[1]));
        continue;
      }
      int expiry = latestPurgeFrom[firstExpiryPurgeAfter(seqs[slot])];
      if (expiry >= 0 && expiryPurgeNow[expiry] >= expires[slot]) {
        cancelledBy(storedIn, byId.get(expiryPurgeSegment[expiry]));
        continue;
      }
      owner.addUnordered(ids[slot], expires[slot], guids[slot], segmentIds[slot], offsets[slot], lengths[slot]);
      storedIn.live++;
      storedIn.liveBytes += lengths[slot];
      total++;
    }
    queues.values().removeIf(q -> q.live() == 0);
    queues.values().forEach(DeviceQueue::finishRecovery);
    return total;
  }

  /** The purge record in {@code purgeSegment} must outlive the STORE record in {@code storedIn}. */
  private static void cancelledBy(Segment storedIn, Segment purgeSegment) {
    if (storedIn != purgeSegment) {
      storedIn.addDependent(purgeSegment);
    }
  }

  private int firstExpiryPurgeAfter(long slotSeq) {
    int lo = 0;
    int hi = expiryPurges;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (expiryPurgeSeq[mid] <= slotSeq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
