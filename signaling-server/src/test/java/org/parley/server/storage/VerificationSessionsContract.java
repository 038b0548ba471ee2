package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.parley.server.storage.VerificationSessions.Backoff;
import org.parley.server.storage.VerificationSessions.Session;

/** What every {@link VerificationSessions} must do. */
public abstract class VerificationSessionsContract {

  protected abstract VerificationSessions sessions();

  private static Session session(String id, int attempts, long expiresAt) {
    return new Session(id, "+15550001111", "123456", expiresAt, attempts, false);
  }

  @Test
  void triesAreSpentOneByOneAndAVerifiedSessionRegistersOnce() {
    sessions().create(session("s1", 2, 10_000));
    assertThat(sessions().find("s1")).contains(session("s1", 2, 10_000));
    assertThat(sessions().find("nope")).isEmpty();

    assertThat(sessions().spendAttempt("s1")).isEqualTo(OptionalInt.of(1));
    assertThat(sessions().consumeVerified("s1")).as("not verified yet").isFalse();
    assertThat(sessions().markVerified("s1")).isTrue();
    assertThat(sessions().markVerified("s1")).as("already verified").isFalse();
    assertThat(sessions().spendAttempt("s1")).as("a verified session spends no tries").isEmpty();
    assertThat(sessions().find("s1").orElseThrow().verified()).isTrue();
    assertThat(sessions().consumeVerified("s1")).isTrue();
    assertThat(sessions().consumeVerified("s1")).isFalse();
    assertThat(sessions().find("s1")).isEmpty();
  }

  @Test
  void aSessionWithoutTriesCannotBeVerified() {
    sessions().create(session("s2", 1, 10_000));
    assertThat(sessions().spendAttempt("s2")).isEqualTo(OptionalInt.of(0));
    assertThat(sessions().spendAttempt("s2")).isEmpty();
    assertThat(sessions().markVerified("s2")).isFalse();
    sessions().delete("s2");
    assertThat(sessions().find("s2")).isEmpty();
  }

  @Test
  void concurrentWrongTriesSpendNoMoreThanTheSessionHas() throws Exception {
    sessions().create(session("s3", 5, 10_000));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<OptionalInt>> tries = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        tries.add(pool.submit(() -> sessions().spendAttempt("s3")));
      }
      int spent = 0;
      for (Future<OptionalInt> attempt : tries) {
        spent += attempt.get().isPresent() ? 1 : 0;
      }
      assertThat(spent).isEqualTo(5);
      assertThat(sessions().find("s3").orElseThrow().remainingAttempts()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void expiredSessionsAndQuietNumbersAreDeleted() {
    sessions().create(session("old", 3, 1_000));
    sessions().create(session("new", 3, 5_000));
    sessions().replaceBackoff("+15550000001", Optional.empty(), new Backoff(1, 100));
    sessions().replaceBackoff("+15550000002", Optional.empty(), new Backoff(1, 900));
    sessions().deleteExpired(1_000, 500);
    assertThat(sessions().find("old")).isEmpty();
    assertThat(sessions().find("new")).isPresent();
    assertThat(sessions().backoff("+15550000001")).isEmpty();
    assertThat(sessions().backoff("+15550000002")).contains(new Backoff(1, 900));
  }

  @Test
  void aBackoffChangesOnlyFromWhatWasRead() {
    String number = "+15550000003";
    assertThat(sessions().backoff(number)).isEmpty();
    assertThat(sessions().replaceBackoff(number, Optional.empty(), new Backoff(1, 10))).isTrue();
    assertThat(sessions().replaceBackoff(number, Optional.empty(), new Backoff(1, 11)))
        .as("another server created it first").isFalse();
    assertThat(sessions().replaceBackoff(number, Optional.of(new Backoff(1, 10)), new Backoff(2, 20))).isTrue();
    assertThat(sessions().replaceBackoff(number, Optional.of(new Backoff(1, 10)), new Backoff(2, 21)))
        .as("another server counted first").isFalse();
    assertThat(sessions().backoff(number)).contains(new Backoff(2, 20));
    sessions().forgetBackoff(number);
    assertThat(sessions().backoff(number)).isEmpty();
  }
}
