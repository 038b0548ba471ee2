package org.parley.client.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Database.Housekeeping}: a record rewritten at every commit, as a Signal session is for every message sent,
 * must not grow the file by a chunk per commit. The database appends every chunk; compaction looks every millisecond
 * here (production: every 5 s) so that the outcome does not depend on how fast the machine is.
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
        Database.Housekeeping.OFF);
    long with = rewriteOneRecord(Files.createDirectory(dir.resolve("with")),
        new Database.Housekeeping(1, 2.0, 1.25, 1 << 20));
    System.out.printf("file after 3000 rewrites: %,d bytes without housekeeping, %,d with%n", without, with);
    assertThat(without).isGreaterThan(3000L * 6000);
    assertThat(with).isLessThan(without / 5);
  }

  @Test
  void closingCompactsAndTruncatesTheFile(@TempDir Path dir) throws Exception {
    // No compaction while open (a check every hour): the file holds every commit until close.
    Database.Housekeeping onlyOnClose = new Database.Housekeeping(3_600_000, 2.0, 1.25, 1 << 20);
    long open = rewriteOneRecord(dir, onlyOnClose);
    long closed = Files.size(dir.resolve("parley.mv.db"));
    System.out.printf("file after 3000 rewrites: %,d bytes open, %,d after close%n", open, closed);
    assertThat(open).isGreaterThan(3000L * 6000);
    assertThat(closed).isLessThan(2L << 20);
    try (Database db = Database.open(dir, onlyOnClose)) {
      byte[] record = db.inTransaction(c -> {
        try (var s = c.createStatement(); var r = s.executeQuery("SELECT record FROM session WHERE id = 1")) {
          r.next();
          return r.getBytes(1);
        }
      });
      assertThat(record).hasSize(6000).containsOnly((byte) 2999);
      assertThat(db.fileSize()).isLessThan(2L << 20);
    }
  }
}
