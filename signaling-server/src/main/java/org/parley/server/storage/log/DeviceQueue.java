package org.parley.server.storage.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.parley.server.storage.DeviceAddress;

/**
 * The in-memory index of one device's queue: for each live message its id, expiry, GUID hash and where its STORE
 * record lives (segment, offset, length) — never the payload. Entries sit in parallel arrays sorted by id; deleting
 * leaves a tombstone (length 0) that is skipped and squeezed out later, so acknowledging in order costs O(log n).
 * Only the writer thread changes it; readers (fetch, depth) take the same lock.
 */
final class DeviceQueue {

  /** Told the segment and length of every entry dropped in bulk. */
  interface Removal {
    void removed(int segment, int length);
  }

  final DeviceAddress address;
  /** The account id in UTF-8, encoded once for all STORE records of this device. */
  final byte[] account;

  private long[] ids = new long[4];
  private long[] expires = new long[4];
  private long[] guids = new long[4];
  private int[] segments = new int[4];
  private int[] offsets = new int[4];
  private int[] lengths = new int[4];
  private int head;
  private int tail;
  private int dead;
  private volatile int live;
  private long minExpires = Long.MAX_VALUE;
  private boolean sorted = true;

  /** Segment and length of the entry removed by the last {@link #remove}/{@link #removeAt} (writer thread). */
  int removedSegment;
  int removedLength;

  DeviceQueue(DeviceAddress address) {
    this.address = address;
    this.account = address.accountId().getBytes(StandardCharsets.UTF_8);
  }

  int live() {
    return live;
  }

  synchronized void add(long id, long expiresAt, long guidHash, int segment, int offset, int length) {
    if (tail == ids.length) {
      makeRoom();
    }
    int at = tail;
    if (tail > head && ids[tail - 1] > id) {
      at = insertionPoint(id);
      shift(at);
    }
    set(at, id, expiresAt, guidHash, segment, offset, length);
    tail++;
    live++;
    if (expiresAt < minExpires) {
      minExpires = expiresAt;
    }
  }

  /** Recovery: adds without keeping order; {@link #finishRecovery} sorts. */
  void addUnordered(long id, long expiresAt, long guidHash, int segment, int offset, int length) {
    if (tail == ids.length) {
      makeRoom();
    }
    if (tail > head && ids[tail - 1] > id) {
      sorted = false;
    }
    set(tail++, id, expiresAt, guidHash, segment, offset, length);
    live++;
    if (expiresAt < minExpires) {
      minExpires = expiresAt;
    }
  }

  synchronized void finishRecovery() {
    if (sorted) {
      return;
    }
    Integer[] order = new Integer[tail - head];
    for (int i = 0; i < order.length; i++) {
      order[i] = head + i;
    }
    long[] byId = ids;
    Arrays.sort(order, (a, b) -> Long.compare(byId[a], byId[b]));
    long[] i2 = new long[ids.length];
    long[] e2 = new long[ids.length];
    long[] g2 = new long[ids.length];
    int[] s2 = new int[ids.length];
    int[] o2 = new int[ids.length];
    int[] l2 = new int[ids.length];
    for (int k = 0; k < order.length; k++) {
      int from = order[k];
      i2[k] = ids[from];
      e2[k] = expires[from];
      g2[k] = guids[from];
      s2[k] = segments[from];
      o2[k] = offsets[from];
      l2[k] = lengths[from];
    }
    ids = i2;
    expires = e2;
    guids = g2;
    segments = s2;
    offsets = o2;
    lengths = l2;
    tail = order.length;
    head = 0;
    sorted = true;
  }

  private void set(int at, long id, long expiresAt, long guidHash, int segment, int offset, int length) {
    ids[at] = id;
    expires[at] = expiresAt;
    guids[at] = guidHash;
    segments[at] = segment;
    offsets[at] = offset;
    lengths[at] = length;
  }

  /** First index in [head, tail) whose id is greater than {@code id}. */
  private int insertionPoint(long id) {
    int lo = head;
    int hi = tail;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ids[mid] <= id) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void shift(int at) {
    int n = tail - at;
    System.arraycopy(ids, at, ids, at + 1, n);
    System.arraycopy(expires, at, expires, at + 1, n);
    System.arraycopy(guids, at, guids, at + 1, n);
    System.arraycopy(segments, at, segments, at + 1, n);
    System.arraycopy(offsets, at, offsets, at + 1, n);
    System.arraycopy(lengths, at, lengths, at + 1, n);
  }

  /** Squeezes out tombstones, or grows the arrays when there are few. */
  private void makeRoom() {
    if (dead > 0 && dead * 4 >= tail - head || head * 2 >= ids.length) {
      squeeze();
      if (tail < ids.length) {
        return;
      }
    }
    int capacity = ids.length * 2;
    ids = Arrays.copyOf(ids, capacity);
    expires = Arrays.copyOf(expires, capacity);
    guids = Arrays.copyOf(guids, capacity);
    segments = Arrays.copyOf(segments, capacity);
    offsets = Arrays.copyOf(offsets, capacity);
    lengths = Arrays.copyOf(lengths, capacity);
  }

  private void squeeze() {
    int to = 0;
    for (int i = head; i < tail; i++) {
      if (lengths[i] != 0) {
        if (to != i) {
          set(to, ids[i], expires[i], guids[i], segments[i], offsets[i], lengths[i]);
        }
        to++;
      }
    }
    head = 0;
    tail = to;
    dead = 0;
    Arrays.fill(lengths, tail, lengths.length, 0);
  }

  /** Index of the live entry with that id, or -1. */
  synchronized int find(long id) {
    int lo = head;
    int hi = tail - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long v = ids[mid];
      if (v < id) {
        lo = mid + 1;
      } else if (v > id) {
        hi = mid - 1;
      } else {
        return lengths[mid] != 0 ? mid : -1;
      }
    }
    return -1;
  }

  /** Removes the live entry with that id; false when there is none. */
  synchronized boolean remove(long id) {
    int at = find(id);
    if (at < 0) {
      return false;
    }
    removeAt(at);
    return true;
  }

  synchronized void removeAt(int at) {
    removedSegment = segments[at];
    removedLength = lengths[at];
    lengths[at] = 0;
    live--;
    dead++;
    while (head < tail && lengths[head] == 0) {
      head++;
      dead--;
    }
    if (head == tail) {
      head = 0;
      tail = 0;
      dead = 0;
      minExpires = Long.MAX_VALUE;
    } else if (dead > 64 && dead > live) {
      squeeze();
    }
  }

  /** Next live index at or after {@code from} whose GUID hash matches, or -1. */
  synchronized int findGuid(long hash, int from) {
    for (int i = Math.max(from, head); i < tail; i++) {
      if (lengths[i] != 0 && guids[i] == hash) {
        return i;
      }
    }
    return -1;
  }

  synchronized int segmentAt(int at) {
    return segments[at];
  }

  synchronized int offsetAt(int at) {
    return offsets[at];
  }

  synchronized int lengthAt(int at) {
    return lengths[at];
  }

  /** Points the entry at a copy of its record (compaction). */
  synchronized void relocate(int at, int segment, int offset) {
    segments[at] = segment;
    offsets[at] = offset;
  }

  /** Drops every entry; tells {@code removal} about each. */
  synchronized int removeAll(Removal removal) {
    int n = 0;
    for (int i = head; i < tail; i++) {
      if (lengths[i] != 0) {
        removal.removed(segments[i], lengths[i]);
        lengths[i] = 0;
        n++;
      }
    }
    head = 0;
    tail = 0;
    dead = 0;
    live = 0;
    minExpires = Long.MAX_VALUE;
    return n;
  }

  /** Drops entries expiring at or before {@code nowMillis}; returns how many. */
  synchronized int removeExpired(long nowMillis, Removal removal) {
    if (minExpires > nowMillis) {
      return 0;
    }
    int n = 0;
    long min = Long.MAX_VALUE;
    for (int i = head; i < tail; i++) {
      if (lengths[i] != 0) {
        if (expires[i] <= nowMillis) {
          removal.removed(segments[i], lengths[i]);
          lengths[i] = 0;
          n++;
        } else if (expires[i] < min) {
          min = expires[i];
        }
      }
    }
    live -= n;
    minExpires = min;
    squeeze();
    return n;
  }

  /** Where fetch finds its records: up to {@code limit} entries after {@code afterId}, unexpired and written. */
  synchronized Page page(long afterId, long nowMillis, int limit, SegmentTable table) {
    int capacity = Math.min(limit, live);
    Page page = new Page(capacity);
    int from = insertionPoint(afterId);
    for (int i = from; i < tail && page.size < capacity; i++) {
      if (lengths[i] == 0 || expires[i] <= nowMillis) {
        continue;
      }
      Segment segment = table.get(segments[i]);
      if (segment == null || offsets[i] + (long) lengths[i] > segment.written) {
        continue; // not written yet: its insert has not completed
      }
      page.ids[page.size] = ids[i];
      page.segments[page.size] = segments[i];
      page.offsets[page.size] = offsets[i];
      page.lengths[page.size] = lengths[i];
      page.size++;
    }
    return page;
  }

  /** Record locations gathered under the lock, read after it is released. */
  static final class Page {
    final long[] ids;
    final int[] segments;
    final int[] offsets;
    final int[] lengths;
    int size;

    Page(int capacity) {
      ids = new long[capacity];
      segments = new int[capacity];
      offsets = new int[capacity];
      lengths = new int[capacity];
    }
  }
}
