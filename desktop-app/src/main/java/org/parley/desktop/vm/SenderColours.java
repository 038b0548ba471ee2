package org.parley.desktop.vm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Which colour a sender's name has in a group's bubbles: one of {@link #PALETTE} colours (the views' {@code sender-N}
 * style classes, defined per theme), ordered by hue around the colour wheel, so colour N looks most like N-1 and
 * N+1. Each number has a preferred colour from its digits. Within one group, members choose in the order they
 * joined: the first takes its preferred colour, the next five the free colour nearest their preferred one among
 * every other colour round the wheel (the first one's half), the rest the nearest free one. So the first 6 members
 * are at least two steps (about 60° of hue) apart, up to 12 never share a colour, and someone joining never changes
 * an earlier member's colour. The price: someone keeps their preferred colour in every group only where it is free
 * and on the right half.
 */
public final class SenderColours {

  public static final int PALETTE = 12;

  private final Map<String, Integer> assigned;

  private SenderColours(Map<String, Integer> assigned) {
    this.assigned = assigned;
  }

  /** Colours for {@code members}, in the order the group lists them. */
  public static SenderColours of(List<String> members) {
    Map<String, Integer> out = new HashMap<>();
    boolean[] taken = new boolean[PALETTE];
    int used = 0;
    int half = -1;
    for (String number : members) {
      if (out.containsKey(number)) {
        continue;
      }
      int colour = preferred(number);
      if (used < PALETTE) {
        if (half < 0) {
          half = colour % 2;
        }
        int parity = half;
        int apart = nearest(colour, c -> !taken[c] && c % 2 == parity);
        colour = apart >= 0 ? apart : nearest(colour, c -> !taken[c]);
        taken[colour] = true;
        used++;
      }
      out.put(number, colour);
    }
    return new SenderColours(out);
  }

  /** The colour nearest {@code from} around the wheel that is {@code ok} (clockwise first on a tie), or -1. */
  private static int nearest(int from, IntPredicate ok) {
    for (int d = 0; d <= PALETTE / 2; d++) {
      int up = (from + d) % PALETTE;
      if (ok.test(up)) {
        return up;
      }
      int down = Math.floorMod(from - d, PALETTE);
      if (ok.test(down)) {
        return down;
      }
    }
    return -1;
  }

  /** The colour of {@code number}: its place in the group, or its preferred colour for someone no longer in it. */
  public int of(String number) {
    Integer c = assigned.get(number);
    return c != null ? c : preferred(number);
  }

  /**
   * The preferred colour of a number. String.hashCode alone puts numbers that differ in their last digit in
   * neighbouring colours, so its bits are mixed first (the finaliser of MurmurHash3).
   */
  static int preferred(String number) {
    int h = number.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Math.floorMod(h, PALETTE);
  }
}
