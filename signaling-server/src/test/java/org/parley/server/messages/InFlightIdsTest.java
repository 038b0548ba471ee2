package org.parley.server.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InFlightIdsTest {

  @Test
  void behavesLikeASetUnderRandomAddsAndRemoves() {
    InFlightIds ids = new InFlightIds(16);
    Set<Long> reference = new HashSet<>();
    Random random = new Random(42);
    for (int step = 0; step < 200_000; step++) {
      long id = random.nextInt(3000);
      if (random.nextBoolean()) {
        assertThat(ids.add(id)).isEqualTo(reference.add(id));
      } else {
        assertThat(ids.remove(id)).isEqualTo(reference.remove(id));
      }
      if (step % 997 == 0) {
        for (long probe = 0; probe < 3000; probe += 7) {
          assertThat(ids.contains(probe)).isEqualTo(reference.contains(probe));
        }
      }
    }
    assertThat(ids.size()).isEqualTo(reference.size());
  }
}
