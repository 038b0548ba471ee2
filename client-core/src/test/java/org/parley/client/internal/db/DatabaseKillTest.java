package org.parley.client.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that commits and says so is killed with SIGKILL; reopened, the database has every commit it announced.
 * The writer replaces a row of varying size at every commit (as a session record is), so MVStore chunks vary in size
 * and die quickly, and the file is compacted every few commits: kills land between commits and in the middle of
 * compactions (ADR 0204).
 */
class DatabaseKillTest {

  private static final int KILLS = 8;
  /** Compaction every 8 commits (production: 256): kills land before, during and after compactions. */
  private static final int RETENTION_MILLIS = Database.Housekeeping.DEFAULT.retentionMillis();
  private static final Database.Housekeeping OFTEN = new Database.Housekeeping(8, 80, 4 << 20, RETENTION_MILLIS);

  /** The child: writes through {@link Database} into {@code DIR} until killed, printing each committed value. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long closeAfter = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
    long pauseMillis = args.length > 2 ? Long.parseLong(args[2]) : 0;
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Random random = new Random();
    try (Database db = Database.open(dir, OFTEN)) {
      db.run(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS counter (id INT PRIMARY KEY, n BIGINT, pad VARBINARY(40000))");
          s.execute("CREATE TABLE IF NOT EXISTS log (n BIGINT PRIMARY KEY, line VARBINARY(300))");
          s.execute("MERGE INTO counter KEY (id) VALUES (1, 0, NULL)");
          s.execute("DELETE FROM log");
        }
      });
      for (long n = 1; ; n++) {
        long value = n;
        byte[] pad = new byte[random.nextInt(40_000)];
        random.nextBytes(pad);
        byte[] line = new byte[300];
        random.nextBytes(line);
        db.run(c -> write(c, value, pad, line));
        out.println(n);
        if (pauseMillis > 0) {
          Thread.sleep(pauseMillis);
        }
        if (n == closeAfter) {
          // The dead chunks of the burst make close() copy the file (ADR 0205); the parent kills in the middle.
          out.println(db.compactsOnClose() ? "closing, compacting" : "closing");
          break;
        }
      }
    }
    out.println("closed");
  }

  /** One commit: the counter row replaced (a random size), one more log row (the live data grows). */
  private static void write(Connection c, long n, byte[] pad, byte[] line) throws Exception {
    try (PreparedStatement p = c.prepareStatement("UPDATE counter SET n = ?, pad = ? WHERE id = 1")) {
      p.setLong(1, n);
      p.setBytes(2, pad);
      p.executeUpdate();
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO log VALUES (?, ?)")) {
      p.setLong(1, n);
      p.setBytes(2, line);
      p.executeUpdate();
    }
  }

  /** Starts the writer, kills it after a while, and returns {announced, found after reopening}. */
  private static long[] killOnce(Path dir, long afterCommits) throws Exception {
    return killOnce(dir, afterCommits, -1);
  }

  /**
   * As {@link #killOnce(Path, long)}; with {@code closeDelayMillis} at least 0 the writer closes the database after
   * {@code afterCommits} commits and is killed that long after it said it is closing.
   */
  private static long[] killOnce(Path dir, long afterCommits, long closeDelayMillis) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), DatabaseKillTest.class.getName(),
        dir.toString()));
    if (closeDelayMillis >= 0) {
      command.add(Long.toString(afterCommits));
    }
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    AtomicLong announced = new AtomicLong();
    AtomicLong closingAt = new AtomicLong();
    AtomicBoolean compacting = new AtomicBoolean();
    AtomicBoolean closed = new AtomicBoolean();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("closing")) {
            compacting.set(line.contains("compacting"));
            closingAt.set(System.nanoTime());
          } else if (line.equals("closed")) {
            closed.set(true);
          } else {
            announced.set(Long.parseLong(line.strip()));
          }
        }
      } catch (Exception ignored) {
        // killed
      }
    });
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    if (closeDelayMillis >= 0) {
      while (closingAt.get() == 0 && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(compacting.get()).as("the writer's close copies the file").isTrue();
      long killAt = closingAt.get() + TimeUnit.MILLISECONDS.toNanos(closeDelayMillis);
      while (System.nanoTime() < killAt && p.isAlive()) {
        Thread.sleep(1);
      }
    } else {
      while (announced.get() < afterCommits && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
    }
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    reader.join(10_000);
    if (closeDelayMillis >= 0) {
      System.out.printf("killed %d ms into a compacting close (%s)%n", closeDelayMillis,
          closed.get() ? "it had finished" : "it had not finished");
    }
    try (Database db = Database.open(dir, OFTEN)) {
      return new long[] {announced.get(), db.inTransaction(c -> count(c))};
    }
  }

  /**
   * Between commits of the reuse test's writer: a steady rate, so that what frees up (written a retention ago)
   * keeps pace with what is written (a writer speeding up as the JIT warms grows the file whatever the reuse).
   * Short, so that most kills still land in a commit or a compaction.
   */
  private static final long PAUSE_MILLIS = 1;

  /**
   * Starts the writer on a fresh file and kills it {@code killAtMillis} after its first commit, which is well past
   * the retention time: by then H2 writes new chunks into chunks emptied a retention ago (the file stops growing).
   * Returns {announced, found after reopening, file size 2 s past the retention, commits by then, file size at the
   * kill, commits by then}.
   */
  private static long[] killWhileReusing(Path dir, long killAtMillis) throws Exception {
    Path file = dir.resolve("parley.mv.db");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), DatabaseKillTest.class.getName(), dir.toString(),
        Long.toString(Long.MAX_VALUE), Long.toString(PAUSE_MILLIS))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    AtomicLong announced = new AtomicLong();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          announced.set(Long.parseLong(line.strip()));
        }
      } catch (Exception ignored) {
        // killed
      }
    });
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (announced.get() == 0 && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    long start = System.nanoTime();
    long retentionAt = start + TimeUnit.MILLISECONDS.toNanos(RETENTION_MILLIS + 2000);
    long killAt = start + TimeUnit.MILLISECONDS.toNanos(killAtMillis);
    long sizeAtRetention = -1;
    long commitsAtRetention = 0;
    while (System.nanoTime() < killAt && p.isAlive()) {
      if (sizeAtRetention < 0 && System.nanoTime() >= retentionAt) {
        commitsAtRetention = announced.get();
        sizeAtRetention = Files.size(file);
      }
      Thread.sleep(1);
    }
    long sizeAtKill = Files.size(file);
    long commitsAtKill = announced.get();
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    reader.join(10_000);
    try (Database db = Database.open(dir, OFTEN)) {
      return new long[] {announced.get(), db.inTransaction(c -> count(c)), sizeAtRetention, commitsAtRetention,
          sizeAtKill, commitsAtKill};
    }
  }

  /** The counter, checked against the log rows written in the same commits. */
  private static long count(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT n, (SELECT COUNT(*) FROM log) FROM counter WHERE id = 1")) {
      r.next();
      assertThat(r.getLong(2)).as("log rows committed with the counter").isEqualTo(r.getLong(1));
      return r.getLong(1);
    }
  }

  @Test
  void everyAnnouncedCommitSurvivesKill9(@TempDir Path dir) throws Exception {
    for (int i = 0; i < KILLS; i++) {
      // The same database again and again, growing: later kills hit a file that has been compacted before.
      long[] result = killOnce(dir, 200 * (i + 1));
      System.out.printf("kill %d: announced %d, found %d%n", i, result[0], result[1]);
      assertThat(result[1]).as("commits announced before the kill").isGreaterThanOrEqualTo(result[0]);
    }
  }

  /**
   * Closing after a burst copies the live pages into a new file and renames it over the old one (ADR 0205); a kill
   * at any moment of that loses nothing: the closed file, or its copy, has every commit.
   */
  @Test
  void aKillDuringACompactingCloseLosesNothing(@TempDir Path dir) throws Exception {
    long[] delays = {0, 30, 100, 250, 600, 1500};
    for (int i = 0; i < delays.length; i++) {
      long[] result = killOnce(dir, 400 * (i + 1), delays[i]);
      System.out.printf("close kill %d: announced %d, found %d%n", i, result[0], result[1]);
      assertThat(result[1]).as("commits announced before the kill").isGreaterThanOrEqualTo(result[0]);
    }
  }

  /**
   * Kills land while H2 overwrites chunks that emptied a retention ago (the case a short retention makes common,
   * and the one whose stale header lost commits before ChunkHeaderGuard, ADR 0204): each writer runs on a fresh
   * file past the retention time and is killed at a different moment. That reuse really happened is checked from
   * the outside: from 2 s past the retention to the kill, the file grew by less than half as much per commit as it
   * did before (when nothing could be reused).
   */
  @Test
  void killsWhileEmptiedChunksAreReusedLoseNothing(@TempDir Path dir) throws Exception {
    long[] killAt = {RETENTION_MILLIS + 4_000, RETENTION_MILLIS + 5_100, RETENTION_MILLIS + 6_700};
    for (int i = 0; i < killAt.length; i++) {
      long[] result = killWhileReusing(Files.createDirectory(dir.resolve("run" + i)), killAt[i]);
      System.out.printf("reuse kill %d at %d ms: announced %d, found %d; file %,d bytes after %d commits (2 s past"
          + " the retention), %,d after %d (at the kill)%n", i, killAt[i], result[0], result[1], result[2], result[3],
          result[4], result[5]);
      assertThat(result[1]).as("commits announced before the kill").isGreaterThanOrEqualTo(result[0]);
      long commitsAfter = result[5] - result[3];
      assertThat(commitsAfter).as("commits after the retention time").isGreaterThan(20);
      assertThat((double) (result[4] - result[2]) / commitsAfter)
          .as("bytes of file per commit once chunks are reused, vs before")
          .isLessThan((double) result[2] / result[3] / 2);
    }
  }
}
