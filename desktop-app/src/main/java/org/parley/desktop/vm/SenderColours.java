package org.parley.desktop.vm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which colour a sender's name has in a group's bubbles: one of {@link #PALETTE} colours (the views' {@code sender-N}
 * style classes, defined per theme). Each number has a preferred colour from its digits, so a person keeps a colour
 * across groups and restarts; within one group, members take their preferred colour in the order the group lists
 * them (oldest first), and one whose colour is taken moves on to the next free one. So two members share a colour
 * only when the group has more than {@link #PALETTE} members, and someone joining never changes an earlier
 * member's colour.
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
    for (String number : members) {
      if (out.containsKey(number)) {
        continue;
      }
      int colour = preferred(number);
      if (used < PALETTE) {
        while (taken[colour]) {
          colour = (colour + 1) % PALETTE;
        }
        taken[colour] = true;
        used++;
      }
      out.put(number, colour);
    }
    return new SenderColours(out);
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
