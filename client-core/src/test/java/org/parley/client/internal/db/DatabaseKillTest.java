package org.parley.client.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that commits and says so is killed with SIGKILL; reopened, the database has every commit it announced.
 * The writer replaces a row of varying size at every commit (as a session record is), so MVStore chunks vary in size
 * and die quickly — the pattern under which H2, reusing the space of dead chunks, wrote the newest chunk where the
 * file header's chain does not lead (ADR 0204). {@link Database} appends instead; the same writer on plain H2 with
 * space reuse and no retention is run alongside, and shows the loss this guards against.
 */
class DatabaseKillTest {

  private static final int KILLS = 6;

  /** The child: {@code parley DIR} writes through {@link Database}, {@code plain DIR} through plain H2. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Random random = new Random();
    if (args[0].equals("parley")) {
      try (Database db = Database.open(dir)) {
        db.run(c -> {
          try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS counter (id INT PRIMARY KEY, n BIGINT, pad VARBINARY(40000))");
            s.execute("MERGE INTO counter KEY (id) VALUES (1, 0, NULL)");
          }
        });
        for (long n = 1; ; n++) {
          long value = n;
          byte[] pad = new byte[random.nextInt(40_000)];
          db.run(c -> write(c, value, pad));
          out.println(n);
        }
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("plain")
        + ";WRITE_DELAY=0;RETENTION_TIME=0", "sa", "")) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS counter (id INT PRIMARY KEY, n BIGINT, pad VARBINARY(40000))");
        s.execute("MERGE INTO counter KEY (id) VALUES (1, 0, NULL)");
      }
      c.commit();
      for (long n = 1; ; n++) {
        write(c, n, new byte[random.nextInt(40_000)]);
        c.commit();
        out.println(n);
      }
    }
  }

  private static void write(Connection c, long n, byte[] pad) throws Exception {
    try (PreparedStatement p = c.prepareStatement("UPDATE counter SET n = ?, pad = ? WHERE id = 1")) {
      p.setLong(1, n);
      p.setBytes(2, pad);
      p.executeUpdate();
    }
  }

  /** Starts the writer, kills it after a while, and returns {announced, found after reopening}. */
  private static long[] killOnce(String mode, Path dir, long afterCommits) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), DatabaseKillTest.class.getName(), mode, dir.toString())
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
    while (announced.get() < afterCommits && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    reader.join(10_000);
    long found;
    if (mode.equals("parley")) {
      try (Database db = Database.open(dir)) {
        found = db.inTransaction(c -> count(c));
      }
    } else {
      try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("plain"), "sa", "")) {
        found = count(c);
      }
    }
    return new long[] {announced.get(), found};
  }

  private static long count(Connection c) throws Exception {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT n FROM counter WHERE id = 1")) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void everyAnnouncedCommitSurvivesKill9(@TempDir Path dir) throws Exception {
    List<String> plain = new ArrayList<>();
    int plainLost = 0;
    for (int i = 0; i < KILLS; i++) {
      long[] parley = killOnce("parley", Files.createDirectories(dir.resolve("parley-" + i)), 300 + 100 * i);
      long[] h2 = killOnce("plain", Files.createDirectories(dir.resolve("plain-" + i)), 300 + 100 * i);
      plain.add(h2[0] + "→" + h2[1]);
      plainLost += h2[1] < h2[0] ? 1 : 0;
      System.out.printf("kill %d: Database announced %d, found %d; plain H2 announced %d, found %d%n", i, parley[0],
          parley[1], h2[0], h2[1]);
      assertThat(parley[1]).as("commits announced before the kill").isGreaterThanOrEqualTo(parley[0]);
    }
    System.out.println("plain H2 with space reuse lost its newest commits in " + plainLost + " of " + KILLS
        + " kills: " + plain);
  }
}
