package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SenderColoursTest {

  private static List<String> numbers(int count, int from) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add("+1555020" + String.format("%04d", from + i));
    }
    return out;
  }

  @Test
  void upToTwelveMembersAllGetDifferentColours() {
    for (int size = 2; size <= SenderColours.PALETTE; size++) {
      List<String> members = numbers(size, size * 100);
      SenderColours colours = SenderColours.of(members);
      Set<Integer> used = new HashSet<>();
      members.forEach(m -> used.add(colours.of(m)));
      assertThat(used).as("%d members", size).hasSize(size);
      assertThat(used).allMatch(c -> c >= 0 && c < SenderColours.PALETTE);
    }
  }

  @Test
  void theFirstSixMembersAreAtLeastTwoStepsApartOnTheWheel() {
    for (int from = 0; from < 3000; from += 6) {
      List<String> members = numbers(6, from);
      SenderColours colours = SenderColours.of(members);
      for (String a : members) {
        for (String b : members) {
          if (!a.equals(b)) {
            int gap = Math.floorMod(colours.of(a) - colours.of(b), SenderColours.PALETTE);
            assertThat(gap).as("%s and %s", a, b).isNotIn(0, 1, SenderColours.PALETTE - 1);
          }
        }
      }
    }
  }

  @Test
  void aPersonHasTheSameColourAfterARestartAndTheirPreferredOneWhenItIsFree() {
    List<String> members = numbers(5, 7000);
    SenderColours first = SenderColours.of(members);
    SenderColours again = SenderColours.of(new ArrayList<>(members));
    for (String m : members) {
      assertThat(again.of(m)).isEqualTo(first.of(m));
    }
    // The first member never collides: it has its preferred colour, the one it has in every group it is first in.
    assertThat(first.of(members.get(0))).isEqualTo(SenderColours.preferred(members.get(0)));
  }

  @Test
  void someoneJoiningNeverChangesAnEarlierMembersColour() {
    List<String> members = new ArrayList<>(numbers(6, 300));
    SenderColours before = SenderColours.of(members);
    members.addAll(numbers(4, 900));
    SenderColours after = SenderColours.of(members);
    for (String m : numbers(6, 300)) {
      assertThat(after.of(m)).isEqualTo(before.of(m));
    }
  }

  @Test
  void twoNumbersThatCollideAreSplitByOrder() {
    // Find two numbers with the same preferred colour.
    List<String> pool = numbers(40, 0);
    String a = null;
    String b = null;
    for (int i = 0; i < pool.size() && b == null; i++) {
      for (int j = i + 1; j < pool.size(); j++) {
        if (SenderColours.preferred(pool.get(i)) == SenderColours.preferred(pool.get(j))) {
          a = pool.get(i);
          b = pool.get(j);
          break;
        }
      }
    }
    assertThat(b).isNotNull();
    SenderColours ab = SenderColours.of(List.of(a, b));
    assertThat(ab.of(a)).isEqualTo(SenderColours.preferred(a));
    // Its neighbours are next to a's colour: b goes two steps round the wheel.
    assertThat(ab.of(b)).isEqualTo((SenderColours.preferred(b) + 2) % SenderColours.PALETTE);
    SenderColours ba = SenderColours.of(List.of(b, a));
    assertThat(ba.of(b)).isEqualTo(SenderColours.preferred(b));
    assertThat(ba.of(a)).isNotEqualTo(ba.of(b));
  }

  @Test
  void moreMembersThanColoursAndFormerMembersFallBackToTheirPreferredColour() {
    List<String> members = numbers(30, 4000);
    SenderColours colours = SenderColours.of(members);
    Set<Integer> firstTwelve = new HashSet<>();
    members.subList(0, SenderColours.PALETTE).forEach(m -> firstTwelve.add(colours.of(m)));
    assertThat(firstTwelve).hasSize(SenderColours.PALETTE);
    for (String late : members.subList(SenderColours.PALETTE, members.size())) {
      assertThat(colours.of(late)).isEqualTo(SenderColours.preferred(late));
    }
    assertThat(colours.of("+15559999999")).isEqualTo(SenderColours.preferred("+15559999999"));
  }

  @Test
  void preferredColoursSpreadOverThePalette() {
    int[] counts = new int[SenderColours.PALETTE];
    for (String n : numbers(1200, 0)) {
      counts[SenderColours.preferred(n)]++;
    }
    // 100 expected per colour (a standard deviation of about 10 if the mixing is as good as random).
    for (int c : counts) {
      assertThat(c).isBetween(60, 140);
    }
  }
}
