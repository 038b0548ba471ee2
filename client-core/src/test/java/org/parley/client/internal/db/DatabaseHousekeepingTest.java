package org.parley.client.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Database.Housekeeping}: a record rewritten at every commit, as a Signal session is for every message sent,
 * must not grow the file by a chunk per commit. Retention 0 so that the outcome does not depend on how fast the
 * machine is (production waits {@link Database.Housekeeping#DEFAULT} 5 s before reusing a chunk).
 */
class DatabaseHousekeepingTest {

  private static long rewriteOneRecord(Path dir, Database.Housekeeping housekeeping) throws Exception {
    byte[] record = new byte[6000];
    try (Database db = Database.open(dir, housekeeping)) {
      db.run(c -> {
        try (var s = c.createStatement()) {
          s.execute("CREATE TABLE session (id INT PRIMARY KEY, record VARBINARY(10000))");
          s.execute("INSERT INTO session VALUES (1, NULL)");
        }
      });
      for (int i = 0; i < 3000; i++) {
        Arrays.fill(record, (byte) i);
        db.run(c -> {
          try (var s = c.prepareStatement("UPDATE session SET record = ? WHERE id = 1")) {
            s.setBytes(1, record);
            s.executeUpdate();
          }
        });
      }
      return db.fileSize();
    }
  }

  @Test
  void compactingEveryFewCommitsKeepsTheFileSmall(@TempDir Path dir) throws Exception {
    long without = rewriteOneRecord(Files.createDirectory(dir.resolve("without")),
        new Database.Housekeeping(0, 80, 4 << 20, 0));
    long with = rewriteOneRecord(Files.createDirectory(dir.resolve("with")),
        new Database.Housekeeping(64, 80, 4 << 20, 0));
    System.out.printf("file after 3000 rewrites: %,d bytes without housekeeping, %,d with%n", without, with);
    assertThat(without).isGreaterThan(3000L * 6000);
    assertThat(with).isLessThan(without / 5);
  }

  /**
   * A burst of commits within the retention time leaves a file of dead chunks, which H2's own close did not shrink
   * (a bot's 1.25 GB file held 3 MB of live data after closing). Closing copies the live data into a new file.
   */
  @Test
  void closingAfterABurstShrinksTheFileToItsLiveData(@TempDir Path dir) throws Exception {
    long beforeClose;
    long live;
    byte[] record = new byte[6000];
    // Production's housekeeping, with a retention no loaded machine outlasts: the burst's chunks all stay dead.
    Database.Housekeeping withinRetention = new Database.Housekeeping(Database.Housekeeping.DEFAULT.compactEvery(),
        Database.Housekeeping.DEFAULT.targetFillRate(), Database.Housekeeping.DEFAULT.writeLimit(), 600_000);
    try (Database db = Database.open(dir, withinRetention)) {
      db.run(c -> {
        try (var s = c.createStatement()) {
          s.execute("CREATE TABLE session (id INT PRIMARY KEY, record VARBINARY(10000))");
          s.execute("INSERT INTO session VALUES (1, NULL)");
          s.execute("CREATE TABLE note (body VARCHAR(100))");
          s.execute("INSERT INTO note VALUES ('" + SECRET + "')");
        }
      });
      for (int i = 0; i < 3000; i++) {
        Arrays.fill(record, (byte) i);
        db.run(c -> {
          try (var s = c.prepareStatement("UPDATE session SET record = ? WHERE id = 1")) {
            s.setBytes(1, record);
            s.executeUpdate();
          }
        });
      }
      beforeClose = db.fileSize();
      live = db.liveBytes();
      assertThat(db.compactsOnClose()).isTrue();
    }
    long afterClose = Files.size(dir.resolve("parley.mv.db"));
    System.out.printf("3000 rewrites in the retention time: %,d bytes before close (%,d live), %,d after%n",
        beforeClose, live, afterClose);
    assertThat(beforeClose).isGreaterThan(3000L * 6000);
    assertThat(afterClose).isLessThan(Database.COMPACT_ON_CLOSE_MIN_BYTES).isLessThan(beforeClose / 20);
    // The copy is encrypted under the same key (ADR 0201): the plaintext is nowhere in the directory.
    try (var files = Files.list(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
            .doesNotContain(SECRET);
      }
    }
    try (Database db = Database.open(dir)) {
      byte[] stored = db.inTransaction(c -> {
        try (var s = c.createStatement(); var r = s.executeQuery("SELECT record FROM session WHERE id = 1")) {
          r.next();
          return r.getBytes(1);
        }
      });
      assertThat(stored).isEqualTo(record);
      assertThat(db.compactsOnClose()).isFalse();
    }
  }

  private static final String SECRET = "platypus-in-plain-text";

  @Test
  void aTemporaryFileLeftByAKilledCompactionIsRemovedAtOpen(@TempDir Path dir) throws Exception {
    Database.open(dir).close();
    Path stray = dir.resolve("parley.mv.db.tempFile");
    Files.write(stray, new byte[4096]);
    try (Database db = Database.open(dir)) {
      assertThat(stray).doesNotExist();
    }
  }

  /** The benchmarks' retention override: read when set, refused with a clear message when not a number. */
  @Test
  void theRetentionPropertyOverridesOnlyTheRetention() {
    try {
      System.setProperty("parley.db.retentionMillis", "1500");
      assertThat(Database.Housekeeping.configured()).isEqualTo(new Database.Housekeeping(
          Database.Housekeeping.DEFAULT.compactEvery(), Database.Housekeeping.DEFAULT.targetFillRate(),
          Database.Housekeeping.DEFAULT.writeLimit(), 1500));
      System.setProperty("parley.db.retentionMillis", "5s");
      Assertions.assertThatThrownBy(Database.Housekeeping::configured)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parley.db.retentionMillis")
          .hasMessageContaining("'5s'");
      System.clearProperty("parley.db.retentionMillis");
      assertThat(Database.Housekeeping.configured()).isEqualTo(Database.Housekeeping.DEFAULT);
    } finally {
      System.clearProperty("parley.db.retentionMillis");
    }
  }
}
