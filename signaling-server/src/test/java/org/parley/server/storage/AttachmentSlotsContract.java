package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.parley.server.storage.AttachmentSlots.Quota;
import org.parley.server.storage.AttachmentSlots.Reservation;
import org.parley.server.storage.AttachmentSlots.Slot;

/** What every {@link AttachmentSlots} must do. */
public abstract class AttachmentSlotsContract {

  protected abstract AttachmentSlots slots();

  private static final long NOW = 1_000_000;
  private static final Quota ROOMY = new Quota(100, 100, 1L << 40);

  private static Slot pending(String id, String account, long size, long expiresAt) {
    return new Slot(id, account, size, NOW, OptionalLong.empty(), expiresAt);
  }

  @Test
  void reservesFindsCompletesAndDeletes() {
    assertThat(slots().reserve(pending("s1", "acct", 500, NOW + 100), ROOMY, NOW)).isEqualTo(Reservation.RESERVED);
    Slot found = slots().find("s1").orElseThrow();
    assertThat(found).isEqualTo(pending("s1", "acct", 500, NOW + 100));
    assertThat(found.complete()).isFalse();

    assertThat(slots().complete("s1", NOW + 50, NOW + 10_000)).isTrue();
    assertThat(slots().complete("s1", NOW + 60, NOW + 20_000)).as("only once").isFalse();
    Slot done = slots().find("s1").orElseThrow();
    assertThat(done.completedAt()).hasValue(NOW + 50);
    assertThat(done.expiresAt()).isEqualTo(NOW + 10_000);

    assertThat(slots().delete("s1")).isTrue();
    assertThat(slots().delete("s1")).isFalse();
    assertThat(slots().find("s1")).isEmpty();
    assertThat(slots().complete("missing", NOW, NOW + 1)).isFalse();
  }

  @Test
  void anUploadThatExpiredCannotBeCompleted() {
    slots().reserve(pending("late", "acct", 10, NOW + 100), ROOMY, NOW);
    assertThat(slots().complete("late", NOW + 100, NOW + 10_000)).isFalse();
    assertThat(slots().find("late").orElseThrow().complete()).isFalse();
  }

  @Test
  void listsExpiredSlotsOldestFirst() {
    slots().reserve(pending("e2", "acct", 1, NOW + 20), ROOMY, NOW);
    slots().reserve(pending("e1", "acct", 1, NOW + 10), ROOMY, NOW);
    slots().reserve(pending("live", "acct", 1, NOW + 1000), ROOMY, NOW);
    assertThat(slots().expired(NOW + 20, 10)).extracting(Slot::id).containsExactly("e1", "e2");
    assertThat(slots().expired(NOW + 20, 1)).extracting(Slot::id).containsExactly("e1");
    assertThat(slots().expired(NOW + 9, 10)).isEmpty();
  }

  @Test
  void enforcesEachPartOfTheQuota() {
    Quota quota = new Quota(2, 3, 1000);
    assertThat(slots().reserve(pending("q1", "quota", 400, NOW + 100), quota, NOW)).isEqualTo(Reservation.RESERVED);
    assertThat(slots().reserve(pending("q2", "quota", 400, NOW + 100), quota, NOW)).isEqualTo(Reservation.RESERVED);
    assertThat(slots().reserve(pending("q3", "quota", 1, NOW + 100), quota, NOW))
        .isEqualTo(Reservation.TOO_MANY_PENDING);
    slots().complete("q1", NOW, NOW + 100);
    assertThat(slots().reserve(pending("q3", "quota", 201, NOW + 100), quota, NOW))
        .isEqualTo(Reservation.TOO_MANY_BYTES);
    assertThat(slots().reserve(pending("q3", "quota", 200, NOW + 100), quota, NOW)).isEqualTo(Reservation.RESERVED);
    slots().complete("q2", NOW, NOW + 100);
    assertThat(slots().reserve(pending("q4", "quota", 0, NOW + 100), quota, NOW))
        .isEqualTo(Reservation.TOO_MANY_ATTACHMENTS);
    assertThat(slots().find("q4")).isEmpty();
    assertThat(slots().usage("quota", NOW)).isEqualTo(new AttachmentSlots.Usage(1, 3, 1000));
    assertThat(slots().reserve(pending("other", "someone-else", 1000, NOW + 100), quota, NOW))
        .as("quotas are per account").isEqualTo(Reservation.RESERVED);
  }

  @Test
  void expiredSlotsNoLongerCountAgainstTheQuota() {
    Quota one = new Quota(1, 1, 100);
    slots().reserve(pending("old", "expiring", 100, NOW + 10), one, NOW);
    assertThat(slots().reserve(pending("new", "expiring", 100, NOW + 100), one, NOW + 5))
        .isEqualTo(Reservation.TOO_MANY_PENDING);
    assertThat(slots().reserve(pending("new", "expiring", 100, NOW + 100), one, NOW + 10))
        .isEqualTo(Reservation.RESERVED);
  }

  @Test
  void concurrentReservationsNeverExceedTheQuota() throws Exception {
    Quota five = new Quota(5, 5, 1L << 40);
    AttachmentSlots slots = slots(); // created once, before the threads race
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Reservation>> attempts = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String id = "c" + i;
        attempts.add(() -> slots.reserve(pending(id, "racing", 1, NOW + 100), five, NOW));
      }
      int reserved = 0;
      for (Future<Reservation> f : threads.invokeAll(attempts)) {
        if (f.get() == Reservation.RESERVED) {
          reserved++;
        }
      }
      assertThat(reserved).isEqualTo(5);
      assertThat(slots.usage("racing", NOW).count()).isEqualTo(5);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void totalsCountCompleteAttachmentsNotExpired() {
    slots().reserve(pending("t1", "a", 100, NOW + 100), ROOMY, NOW);
    slots().reserve(pending("t2", "b", 250, NOW + 100), ROOMY, NOW);
    slots().reserve(pending("t3", "b", 7, NOW + 100), ROOMY, NOW);
    slots().complete("t1", NOW, NOW + 1000);
    slots().complete("t2", NOW, NOW + 2000);
    assertThat(slots().completedTotals(NOW)).isEqualTo(new AttachmentSlots.Totals(2, 350));
    assertThat(slots().completedTotals(NOW + 1000)).isEqualTo(new AttachmentSlots.Totals(1, 250));
  }
}
