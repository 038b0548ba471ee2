package org.parley.client.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * The trigram index behind {@link MessageTable#search} (tables {@code message_trigram} and
 * {@code message_search_state}; docs/decisions/0202-message-search-index.md explains the design) and, with tables of
 * its own ({@link #GROUP_MESSAGES}), behind {@link GroupMessageTable#search}.
 *
 * <p>Messages are grouped by id into segments of {@link #SEGMENT} ids. For each full ("sealed") segment and each
 * trigram (three consecutive UTF-16 chars of a body in {@link Locale#ROOT} lower case; pairs and single chars are
 * indexed as trigrams too, see {@link #MARK}) that occurs in it, one row says which of the segment's messages have
 * it: key {@code segment << 32 | hash(trigram)}, value the messages' offsets in the segment ({@link Offsets}). A
 * segment is indexed once, when the first message of the next one is stored, and its rows go to the end of the key
 * space: the B-tree only grows at its right edge. (One row per message and trigram, written as each message arrives,
 * rewrote some 60 pages spread over the whole tree per message — about 150 kB written per stored message and a
 * database file that grew to gigabytes.) The newest, unsealed segment is read directly.
 *
 * <p>A search intersects, segment by segment, the messages of up to {@link #MAX_TERMS} of the query's trigrams (or
 * its pair, or its char), adds the unsealed segment's messages, and checks every candidate with the exact
 * substring test — hash collisions and trigrams that occur in the wrong order only cost a check. When more than
 * {@link #DENSE} candidates remain, the text is common: they are checked newest first and the search stops soon
 * after {@code limit} hits (see {@link #check}).
 */
final class MessageSearchIndex {

  /** What a store's searchable rows have: the index and the search read nothing else. */
  interface Searchable {
    long id();

    String body();

    long sentAt();
  }

  /**
   * The tables of one indexed store: its messages (with columns {@code id}, {@code body}, {@code sent_at}), their
   * trigram rows and the one-row state. The 1:1 messages and the group messages each have their own, so ids (the
   * segments) of one never mix with the other's.
   */
  record Tables(String messages, String trigrams, String state) {}

  /** The 1:1 messages ({@link MessageTable}). */
  static final Tables MESSAGES = new Tables("message", "message_trigram", "message_search_state");
  /** The group messages ({@link GroupMessageTable}). */
  static final Tables GROUP_MESSAGES = new Tables("group_message", "group_message_trigram",
      "group_message_search_state");

  /** Message ids per segment. */
  static final int SEGMENT = 1024;
  /** Up to this many candidates are read at once; more make a text "common", read newest first in batches. */
  static final int DENSE = 4096;
  /** At most this many of a long query's trigrams are intersected (spread over the query). */
  static final int MAX_TERMS = 16;
  /** Candidates read per step when there are more than {@link #DENSE}. */
  static final int CHECK_BATCH = 256;

  private MessageSearchIndex() {}

  /** The text the index and the search compare: lower case, locale independent. */
  static String fold(String text) {
    return text.toLowerCase(Locale.ROOT);
  }

  /**
   * Marks the pairs and single chars that are indexed like trigrams: "ab" as (MARK, a, b), "a" as (MARK, MARK, a). A
   * text that contains MARK itself (a noncharacter) only gets more candidates.
   */
  static final char MARK = '\uFFFF';

  /** The hash of a trigram; part of the stored format — changing it needs a reindex. */
  static int hash(char a, char b, char c) {
    long trigram = ((long) a << 32) | ((long) b << 16) | c;
    return (int) ((trigram * 0x9E37_79B9_7F4A_7C15L) >>> 32);
  }

  /**
   * What a folded body is indexed under: the hashes of its trigrams, of its pairs of chars and of its chars (so that
   * a query of any length has at least one term), each passed to {@code sink} (repeats included).
   */
  static void indexHashes(String folded, IntConsumer sink) {
    int n = folded.length();
    for (int i = 0; i < n; i++) {
      sink.accept(hash(MARK, MARK, folded.charAt(i)));
      if (i + 1 < n) {
        sink.accept(hash(MARK, folded.charAt(i), folded.charAt(i + 1)));
      }
      if (i + 2 < n) {
        sink.accept(hash(folded.charAt(i), folded.charAt(i + 1), folded.charAt(i + 2)));
      }
    }
  }

  /**
   * The terms a folded query is looked up by, in order: its distinct trigrams; for two chars, the pair; for one, the
   * char. Every message containing the query has all of them.
   */
  static int[] queryHashes(String folded) {
    switch (folded.length()) {
      case 0:
        return new int[0];
      case 1:
        return new int[] {hash(MARK, MARK, folded.charAt(0))};
      case 2:
        return new int[] {hash(MARK, folded.charAt(0), folded.charAt(1))};
      default:
        int[] all = new int[folded.length() - 2];
        for (int i = 0; i < all.length; i++) {
          all[i] = hash(folded.charAt(i), folded.charAt(i + 1), folded.charAt(i + 2));
        }
        return Arrays.stream(all).distinct().toArray();
    }
  }

  static long key(long segment, int hash) {
    return (segment << 32) | (hash & 0xFFFF_FFFFL);
  }

  // ---- writing ----

  /** All messages with a smaller id are indexed; always a multiple of {@link #SEGMENT}. */
  static long sealedBelow(Connection c) throws Exception {
    return sealedBelow(c, MESSAGES);
  }

  static long sealedBelow(Connection c, Tables t) throws Exception {
    return Jdbc.one(c, "SELECT sealed_below FROM " + t.state() + " WHERE id = 1", r -> r.getLong(1))
        .orElseThrow(() -> new IllegalStateException(t.state() + " has no row"));
  }

  /**
   * Called after storing message {@code messageId} (in the same transaction): when it opens a new segment, indexes
   * the segments before it. Ids only grow, so no message joins a sealed segment later.
   */
  static void stored(Connection c, long messageId) throws Exception {
    stored(c, MESSAGES, messageId);
  }

  static void stored(Connection c, Tables t, long messageId) throws Exception {
    long sealed = sealedBelow(c, t);
    long open = messageId / SEGMENT * SEGMENT;
    if (open > sealed) {
      seal(c, t, sealed, open);
    }
  }

  /** Indexes the messages with ids in [from, to) (whole segments) and records {@code to} as sealed. */
  static void seal(Connection c, Tables t, long from, long to) throws Exception {
    try (PreparedStatement read = c.prepareStatement("SELECT id, body FROM " + t.messages() + " WHERE id >= ? AND "
        + "id < ? ORDER BY id"); PreparedStatement insert = c.prepareStatement(
            "INSERT INTO " + t.trigrams() + " (k, ids) VALUES (?, ?)")) {
      for (long segment = from / SEGMENT; segment < to / SEGMENT; segment++) {
        // (hash, offset) pairs as longs: hash in the high half with its sign bit flipped, so that a plain sort puts
        // them in the order of the unsigned hash, which is the key order within the segment.
        long[][] pairs = {new long[1 << 16]};
        int[] n = {0};
        read.setLong(1, segment * SEGMENT);
        read.setLong(2, (segment + 1) * SEGMENT);
        try (ResultSet r = read.executeQuery()) {
          while (r.next()) {
            long offset = r.getLong(1) - segment * SEGMENT;
            indexHashes(fold(r.getString(2)), h -> {
              if (n[0] == pairs[0].length) {
                pairs[0] = Arrays.copyOf(pairs[0], n[0] * 2);
              }
              pairs[0][n[0]++] = ((long) (h ^ Integer.MIN_VALUE) << 32) | offset;
            });
          }
        }
        long[] sorted = pairs[0];
        Arrays.sort(sorted, 0, n[0]);
        // One row per hash, in key order: appended to the right edge of the B-tree.
        for (int i = 0; i < n[0];) {
          int hash = (int) (sorted[i] >> 32) ^ Integer.MIN_VALUE;
          Offsets offsets = new Offsets();
          for (; i < n[0] && (int) (sorted[i] >> 32) == (hash ^ Integer.MIN_VALUE); i++) {
            offsets.add((int) sorted[i]);
          }
          insert.setLong(1, key(segment, hash));
          insert.setBytes(2, offsets.encode());
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
    Jdbc.update(c, "UPDATE " + t.state() + " SET sealed_below = ? WHERE id = 1", to);
  }

  /**
   * The messages of one segment that have one trigram: offsets 0..{@link #SEGMENT}-1. Stored as two bytes per
   * offset while that is shorter than a bitmap, else as the {@code SEGMENT / 8}-byte bitmap (told apart by length).
   */
  static final class Offsets {
    static final int BITMAP_BYTES = SEGMENT / 8;
    final long[] bits = new long[SEGMENT / 64];
    int count;

    void add(int offset) {
      long mask = 1L << (offset & 63);
      if ((bits[offset >>> 6] & mask) == 0) {
        bits[offset >>> 6] |= mask;
        count++;
      }
    }

    byte[] encode() {
      if (count * 2 < BITMAP_BYTES) {
        byte[] list = new byte[count * 2];
        int n = 0;
        for (int offset = nextSet(0); offset >= 0; offset = nextSet(offset + 1)) {
          list[n++] = (byte) (offset >>> 8);
          list[n++] = (byte) offset;
        }
        return list;
      }
      byte[] bitmap = new byte[BITMAP_BYTES];
      for (int i = 0; i < bitmap.length; i++) {
        bitmap[i] = (byte) (bits[i >>> 3] >>> ((i & 7) * 8));
      }
      return bitmap;
    }

    static Offsets decode(byte[] stored) {
      Offsets o = new Offsets();
      if (stored.length == BITMAP_BYTES) {
        for (int i = 0; i < stored.length; i++) {
          o.bits[i >>> 3] |= (stored[i] & 0xFFL) << ((i & 7) * 8);
        }
        for (long word : o.bits) {
          o.count += Long.bitCount(word);
        }
      } else {
        for (int i = 0; i + 1 < stored.length; i += 2) {
          o.add(((stored[i] & 0xFF) << 8) | (stored[i + 1] & 0xFF));
        }
      }
      return o;
    }

    /** Keeps only the offsets {@code other} has too. */
    void retain(Offsets other) {
      count = 0;
      for (int i = 0; i < bits.length; i++) {
        bits[i] &= other.bits[i];
        count += Long.bitCount(bits[i]);
      }
    }

    int nextSet(int from) {
      for (int word = from >>> 6; word < bits.length; word++) {
        long w = word == from >>> 6 ? bits[word] & (-1L << (from & 63)) : bits[word];
        if (w != 0) {
          return word * 64 + Long.numberOfTrailingZeros(w);
        }
      }
      return -1;
    }
  }

  // ---- searching ----

  /**
   * Messages whose body contains {@code query} ignoring case, newest first (by sender time, then id), at most
   * {@code limit}; {@code columns} is the message table's select list that {@code mapper} reads.
   */
  static <R extends Searchable> List<R> search(Connection c, Tables t, String query, int limit, String columns,
      Jdbc.RowMapper<R> mapper) throws Exception {
    return search(c, t, query, limit, columns, mapper, DENSE);
  }

  /** {@link #search} with another threshold for "common" (tests reach both ways with fewer messages). */
  static <R extends Searchable> List<R> search(Connection c, Tables t, String query, int limit, String columns,
      Jdbc.RowMapper<R> mapper, int dense) throws Exception {
    String folded = fold(query);
    int[] hashes = spread(queryHashes(folded), MAX_TERMS);
    if (hashes.length == 0) {
      throw new IllegalArgumentException("an empty search");
    }
    long sealed = sealedBelow(c, t);
    // Segment -> the offsets that have every trigram so far; the first trigram's rows start it.
    Map<Long, Offsets> alive = null;
    for (int h : hashes) {
      Map<Long, Offsets> next = new HashMap<>();
      Long[] keys;
      if (alive == null) {
        keys = new Long[(int) (sealed / SEGMENT)];
        for (int s = 0; s < keys.length; s++) {
          keys[s] = key(s, h);
        }
      } else {
        keys = alive.keySet().stream().map(s -> key(s, h)).toArray(Long[]::new);
      }
      if (keys.length == 0) {
        break;
      }
      try (PreparedStatement rows = c.prepareStatement("SELECT k, ids FROM " + t.trigrams()
          + " WHERE k = ANY(?)")) {
        rows.setObject(1, keys);
        try (ResultSet r = rows.executeQuery()) {
          while (r.next()) {
            long segment = r.getLong(1) >>> 32;
            Offsets found = Offsets.decode(r.getBytes(2));
            if (alive != null) {
              Offsets before = alive.get(segment);
              found.retain(before);
            }
            if (found.count > 0) {
              next.put(segment, found);
            }
          }
        }
      }
      alive = next;
    }
    // Every candidate id, ascending: the sealed segments' survivors, then the whole unsealed segment.
    long[] ids = new long[16];
    int n = 0;
    if (alive != null) {
      for (long segment : new TreeSet<>(alive.keySet())) {
        Offsets o = alive.get(segment);
        for (int offset = o.nextSet(0); offset >= 0; offset = o.nextSet(offset + 1)) {
          if (n == ids.length) {
            ids = Arrays.copyOf(ids, n * 2);
          }
          ids[n++] = segment * SEGMENT + offset;
        }
      }
    }
    for (long id : Jdbc.list(c, "SELECT id FROM " + t.messages() + " WHERE id >= ? ORDER BY id", r -> r.getLong(1),
        sealed)) {
      if (n == ids.length) {
        ids = Arrays.copyOf(ids, n * 2);
      }
      ids[n++] = id;
    }
    long[] candidates = Arrays.copyOf(ids, n);
    return check(c, t, folded, limit, columns, mapper, candidates, dense);
  }

  /**
   * The candidates that really contain {@code folded}, newest first, at most {@code limit}. A few candidates are all
   * read. Many (a common text) are read newest id first, a batch at a time, until {@code limit} hits; then the only
   * older-id messages that could still be newer by sender time — those sent after the oldest of those hits, found on
   * {@code message_time} — are read too, so the order is exact even for messages that arrived late.
   */
  private static <R extends Searchable> List<R> check(Connection c, Tables t, String folded, int limit,
      String columns, Jdbc.RowMapper<R> mapper, long[] candidates, int dense) throws Exception {
    List<R> hits = new ArrayList<>();
    String byIds = "SELECT " + columns + " FROM " + t.messages() + " WHERE id = ANY(?)";
    int batch = candidates.length <= dense ? dense : Math.min(CHECK_BATCH, dense);
    int end = candidates.length;
    while (end > 0 && hits.size() < limit) {
      int start = Math.max(0, end - batch);
      Long[] some = new Long[end - start];
      for (int i = start; i < end; i++) {
        some[i - start] = candidates[i];
      }
      for (R row : Jdbc.list(c, byIds, mapper, (Object) some)) {
        if (fold(row.body()).contains(folded)) {
          hits.add(row);
        }
      }
      end = start;
    }
    hits.sort(newestFirst());
    if (end > 0 && hits.size() >= limit) {
      long oldestHit = hits.get(limit - 1).sentAt();
      long below = candidates[end];
      List<Long> late = new ArrayList<>();
      for (long id : Jdbc.list(c, "SELECT id FROM " + t.messages() + " WHERE sent_at > ? AND id < ?",
          r -> r.getLong(1), oldestHit, below)) {
        if (Arrays.binarySearch(candidates, 0, end, id) >= 0) {
          late.add(id);
        }
      }
      if (!late.isEmpty()) {
        for (R row : Jdbc.list(c, byIds, mapper, (Object) late.toArray(Long[]::new))) {
          if (fold(row.body()).contains(folded)) {
            hits.add(row);
          }
        }
        hits.sort(newestFirst());
      }
    }
    return hits.size() > limit ? new ArrayList<>(hits.subList(0, limit)) : hits;
  }

  private static <R extends Searchable> Comparator<R> newestFirst() {
    return Comparator.<R>comparingLong(Searchable::sentAt).thenComparingLong(Searchable::id).reversed();
  }

  /** At most {@code max} of {@code hashes}, spread evenly from the first to the last. */
  static int[] spread(int[] hashes, int max) {
    if (hashes.length <= max) {
      return hashes;
    }
    int[] picked = new int[max];
    for (int i = 0; i < max; i++) {
      picked[i] = hashes[(int) ((long) i * (hashes.length - 1) / (max - 1))];
    }
    return picked;
  }
}
