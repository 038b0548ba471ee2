package org.parley.server.messages;

import java.util.Arrays;

/**
 * The ids of messages pushed on one connection and not yet answered: an open-addressing set of longs (no boxing,
 * no allocation per message), sized for the in-flight cap. Not thread-safe; the owning session's lock guards it.
 */
final class InFlightIds {

  private static final long EMPTY = Long.MIN_VALUE;
  private long[] slots;
  private int size;

  InFlightIds(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected) * 4 - 1) << 1;
    slots = new long[capacity];
    Arrays.fill(slots, EMPTY);
  }

  /** Adds the id; false when it was already there. */
  boolean add(long id) {
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    for (int i = index(id, mask); ; i = (i + 1) & mask) {
      if (slots[i] == EMPTY) {
        slots[i] = id;
        size++;
        return true;
      }
      if (slots[i] == id) {
        return false;
      }
    }
  }

  boolean contains(long id) {
    int mask = slots.length - 1;
    for (int i = index(id, mask); slots[i] != EMPTY; i = (i + 1) & mask) {
      if (slots[i] == id) {
        return true;
      }
    }
    return false;
  }

  /** Removes the id, shifting later entries of its probe run back so lookups stay correct without tombstones. */
  boolean remove(long id) {
    int mask = slots.length - 1;
    int i = index(id, mask);
    while (slots[i] != id) {
      if (slots[i] == EMPTY) {
        return false;
      }
      i = (i + 1) & mask;
    }
    slots[i] = EMPTY;
    size--;
    for (int j = (i + 1) & mask; slots[j] != EMPTY; j = (j + 1) & mask) {
      long moved = slots[j];
      int home = index(moved, mask);
      // Move it into the hole when the hole lies on its probe path (between home and j, cyclically).
      boolean holeOnPath = i <= j ? (home <= i || home > j) : (home <= i && home > j);
      if (holeOnPath) {
        slots[i] = moved;
        slots[j] = EMPTY;
        i = j;
      }
    }
    return true;
  }

  int size() {
    return size;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    Arrays.fill(slots, EMPTY);
    size = 0;
    for (long id : old) {
      if (id != EMPTY) {
        add(id);
      }
    }
  }

  private static int index(long id, int mask) {
    long h = id * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
