package org.parley.server.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.server.storage.DeviceAddress;
import org.parley.testing.TestClock;

/** The bounds of {@link RecipientSets} with small limits: devices per account, devices on the server, expiry. */
class RecipientSetsTest {

  private final TestClock clock = TestClock.fixedAt(Instant.parse("2026-12-03T12:00:00Z"));
  private final RecipientSets sets = new RecipientSets(new RecipientSets.Limits(4, 10, 25, Duration.ofHours(1)),
      clock);
  private final DeviceAddress alice = new DeviceAddress("alice", 1);

  private static List<RecipientSets.Member> members(String prefix, int accounts) {
    List<RecipientSets.Member> members = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      members.add(new RecipientSets.Member(prefix + i, new int[] {1}, new int[] {100 + i}));
    }
    return members;
  }

  @Test
  void anAccountPastItsDeviceShareLosesItsOldestSets() throws Exception {
    RecipientSets.RecipientSet first = sets.register(alice, members("a", 4));
    RecipientSets.RecipientSet second = sets.register(alice, members("b", 4));
    RecipientSets.RecipientSet third = sets.register(alice, members("c", 4)); // 12 devices > 10
    assertThat(sets.find(alice, first.id())).isEmpty();
    assertThat(sets.find(alice, second.id())).isPresent();
    assertThat(sets.find(alice, third.id())).isPresent();
    assertThat(sets.devicesInTotal()).isEqualTo(8);

    RecipientSets.RecipientSet big = sets.register(alice, members("d", 12));
    assertThat(sets.find(alice, big.id())).as("one set alone is kept whatever its size").isPresent();
    assertThat(sets.count("alice")).isEqualTo(1);
  }

  @Test
  void theServerRefusesSetsPastItsTotalAndExpiredSetsMakeRoom() throws Exception {
    sets.register(new DeviceAddress("bob", 1), members("a", 10));
    sets.register(new DeviceAddress("carol", 1), members("a", 10));
    assertThatThrownBy(() -> sets.register(alice, members("a", 10)))
        .isInstanceOf(RecipientSets.FullException.class);
    assertThat(sets.devicesInTotal()).isEqualTo(20);

    clock.advance(Duration.ofMinutes(61));
    RecipientSets.RecipientSet fresh = sets.register(alice, members("a", 10));
    assertThat(sets.devicesInTotal()).as("the idle sets were dropped to make room").isEqualTo(10);
    assertThat(sets.find(alice, fresh.id())).isPresent();
    clock.advance(Duration.ofMinutes(61));
    assertThat(sets.purgeExpired(clock.millis())).isEqualTo(1);
    assertThat(sets.devicesInTotal()).isZero();
    assertThat(sets.count("alice")).isZero();
  }

  @Test
  void theSameListIsTheSameSetAndOnlyItsOwnerFindsIt() throws Exception {
    RecipientSets.RecipientSet once = sets.register(alice, members("a", 3));
    List<RecipientSets.Member> reversed = members("a", 3);
    Collections.reverse(reversed);
    RecipientSets.RecipientSet again = sets.register(alice, reversed);
    assertThat(again.id()).isEqualTo(once.id());
    assertThat(sets.count("alice")).isEqualTo(1);
    assertThat(sets.find(new DeviceAddress("alice", 2), once.id())).isEmpty();
    assertThat(sets.register(new DeviceAddress("alice", 2), members("a", 3)).id()).isNotEqualTo(once.id());
  }
}
