package org.parley.server.storage.log;

import java.util.Arrays;

/** Segments by id, immutable: the writer publishes a new table when a segment is created or deleted. */
final class SegmentTable {

  static final SegmentTable EMPTY = new SegmentTable(0, new Segment[0]);

  private final int base;
  private final Segment[] segments;

  private SegmentTable(int base, Segment[] segments) {
    this.base = base;
    this.segments = segments;
  }

  Segment get(int id) {
    int i = id - base;
    return i >= 0 && i < segments.length ? segments[i] : null;
  }

  SegmentTable with(Segment segment) {
    if (segments.length == 0) {
      return new SegmentTable(segment.id, new Segment[] {segment});
    }
    int newBase = Math.min(base, segment.id);
    int end = Math.max(base + segments.length, segment.id + 1);
    Segment[] copy = new Segment[end - newBase];
    System.arraycopy(segments, 0, copy, base - newBase, segments.length);
    copy[segment.id - newBase] = segment;
    return new SegmentTable(newBase, copy);
  }

  SegmentTable without(int id) {
    Segment[] copy = segments.clone();
    int i = id - base;
    if (i >= 0 && i < copy.length) {
      copy[i] = null;
    }
    int first = 0;
    while (first < copy.length && copy[first] == null) {
      first++;
    }
    return new SegmentTable(base + first, Arrays.copyOfRange(copy, first, copy.length));
  }
}
