package org.parley.client.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.internal.db.Database;

/**
 * The search index ({@link MessageSearchIndex}) against the definition of search: every message whose body,
 * lower-cased, contains the query, lower-cased, newest first by (sender time, id). An oracle computes that by brute
 * force over what the test stored; real encrypted H2 underneath.
 */
class MessageSearchTest {

  @TempDir
  Path dir;

  /** What the test stored, for the oracle. */
  private final List<MessageTable.Row> stored = new ArrayList<>();

  private static final Comparator<MessageTable.Row> NEWEST_FIRST = Comparator.comparingLong(MessageTable.Row::sentAt)
      .thenComparingLong(MessageTable.Row::id).reversed();

  private List<Long> expected(String query, int limit) {
    String q = query.toLowerCase(Locale.ROOT);
    return stored.stream().filter(r -> r.body().toLowerCase(Locale.ROOT).contains(q)).sorted(NEWEST_FIRST)
        .limit(limit).map(MessageTable.Row::id).toList();
  }

  private static List<Long> ids(List<MessageTable.Row> rows) {
    return rows.stream().map(MessageTable.Row::id).toList();
  }

  private void store(MessageTable messages, String body, long sentAt) {
    long id = messages.insertOutgoing(1, "me", 1, body, sentAt, MessageStatus.SENT);
    stored.add(messages.byId(id).orElseThrow());
  }

  private static final String[] WORDS = {"lunch", "Trains", "weather", "platypus", "ÄPFEL", "straße", "ΟΔΟΣ",
      "100%", "snake_case", "it's", "\"quoted\"", "back\\slash", "😀", "👍🏽", "café", "x", "İstanbul", "ǅemal"};

  private static String sentence(Random random) {
    StringBuilder b = new StringBuilder();
    int words = 1 + random.nextInt(8);
    for (int i = 0; i < words; i++) {
      b.append(i > 0 ? " " : "").append(WORDS[random.nextInt(WORDS.length)]);
      if (random.nextInt(4) == 0) {
        b.append(random.nextInt(1000));
      }
    }
    return b.toString();
  }

  /** Queries: pieces of stored bodies of every length from 1 to 12 chars, in other cases, and some that miss. */
  private List<String> queries(Random random) {
    Set<String> queries = new TreeSet<>(List.of("LUNCH", "%", "_", "'", "\"", "\\", "0%", "e_c", "😀", "\uD83D",
        "\uDE00", "ß", "SS", "οδος", "ς", "i̇", "dž", "ǅ", "nothing like it", "platypus lunch", "zzz"));
    for (int i = 0; i < 150; i++) {
      String body = stored.get(random.nextInt(stored.size())).body();
      int length = 1 + random.nextInt(Math.min(12, body.length()));
      int start = random.nextInt(body.length() - length + 1);
      String piece = body.substring(start, start + length);
      queries.add(random.nextBoolean() ? piece : piece.toUpperCase(Locale.ROOT));
    }
    return new ArrayList<>(queries);
  }

  /**
   * Through two sealed segments and the open one, with timestamps out of id order, every query returns what a scan
   * returns — both when candidates are few and when they count as "common" (threshold lowered to 20).
   */
  @Test
  void findsExactlyWhatASubstringScanFinds() throws Exception {
    Random random = new Random(5);
    try (Database db = Database.open(dir)) {
      MessageTable messages = new MessageTable(db);
      Set<Long> times = new HashSet<>();
      db.run(c -> {
        for (int i = 0; i < 2 * MessageSearchIndex.SEGMENT + 300; i++) {
          // Mostly in order; every 7th is out of order (stored late, or sent with a clock ahead).
          long sentAt = 1_000_000L + i * 10L + (i % 7 == 0 ? random.nextInt(20_000) - 10_000 : 0);
          while (!times.add(sentAt)) {
            sentAt++;
          }
          store(messages, sentence(random), sentAt);
        }
      });
      assertThat(sealedBelow(db)).isEqualTo(2L * MessageSearchIndex.SEGMENT);
      for (String query : queries(random)) {
        for (int limit : new int[] {1, 7, 50, 1000}) {
          assertThat(ids(messages.search(query, limit))).as("'%s' limit %d", query, limit)
              .isEqualTo(expected(query, limit));
          assertThat(ids(messages.search(query, limit, 20))).as("'%s' limit %d, common", query, limit)
              .isEqualTo(expected(query, limit));
        }
      }
    }
  }

  /** A very long query, one longer than any body, and one of a single char that occurs nowhere. */
  @Test
  void oddQueries() throws Exception {
    try (Database db = Database.open(dir)) {
      MessageTable messages = new MessageTable(db);
      String longBody = "lunch ".repeat(5000);
      db.run(c -> {
        store(messages, longBody, 1);
        store(messages, "short", 2);
      });
      assertThat(ids(messages.search(longBody.strip(), 10))).isEqualTo(expected(longBody.strip(), 10)).hasSize(1);
      assertThat(messages.search(longBody + "x", 10)).isEmpty();
      assertThat(messages.search("q", 10)).isEmpty();
      assertThatThrownBy(() -> messages.search("", 10)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** The index is written in the message's transaction: a rolled-back insert that would seal a segment leaves none. */
  @Test
  void aRolledBackInsertLeavesTheIndexAsItWas() throws Exception {
    try (Database db = Database.open(dir)) {
      MessageTable messages = new MessageTable(db);
      db.run(c -> {
        for (int i = 1; i < MessageSearchIndex.SEGMENT; i++) {
          store(messages, "message " + i, i);
        }
      });
      assertThat(sealedBelow(db)).isZero();
      assertThatThrownBy(() -> db.run(c -> {
        messages.insertOutgoing(1, "me", 1, "the one that seals, then fails", 5000, MessageStatus.SENT);
        throw new IllegalStateException("boom");
      })).hasMessage("boom");
      assertThat(sealedBelow(db)).isZero();
      assertThat(messages.search("seals", 10)).isEmpty();
      db.run(c -> store(messages, "this one seals", 6000));
      assertThat(sealedBelow(db)).isEqualTo(MessageSearchIndex.SEGMENT);
      assertThat(ids(messages.search("message 1", 1000))).isEqualTo(expected("message 1", 1000)).hasSize(135);
      assertThat(ids(messages.search("seals", 10))).isEqualTo(expected("seals", 10)).hasSize(1);
    }
  }

  /**
   * A database from before the index (message store V2, the schema and history Flyway left there) gets it built by
   * the V3 migration when it is opened; messages stored afterwards are found with the old ones.
   */
  @Test
  void theMigrationIndexesAnExistingDatabase() throws Exception {
    Random random = new Random(7);
    try (Database db = Database.open(dir)) {
      // Database's own URL and key: the test reaches them as Database does, through the data directory.
      Flyway.configure().dataSource(dataSource(dir)).locations("classpath:db/client/message")
          .table("flyway_message_history").baselineOnMigrate(true).baselineVersion("0").target("2").load()
          .migrate();
      db.run(c -> {
        for (int i = 0; i < MessageSearchIndex.SEGMENT + 500; i++) {
          String body = sentence(random);
          long id = insertV2(c, body, 1000 + i);
          stored.add(new MessageTable.Row(id, 1, Message.Direction.OUTGOING, "me", 1, body,
              1000 + i, null, MessageStatus.SENT, 1000 + i));
        }
      });
      assertThat(tableExists(db, "MESSAGE_TRIGRAM")).isFalse();
    }
    try (Database db = Database.open(dir)) {
      MessageTable messages = new MessageTable(db);
      assertThat(sealedBelow(db)).isEqualTo(MessageSearchIndex.SEGMENT);
      db.run(c -> store(messages, "a platypus after the migration", 999_999));
      for (String query : queries(random)) {
        assertThat(ids(messages.search(query, 50))).as(query).isEqualTo(expected(query, 50));
      }
    }
  }

  @Test
  void offsetsRoundTripAsAListOrABitmap() {
    for (int count : new int[] {1, 2, 63, 64, 65, 500, MessageSearchIndex.SEGMENT}) {
      MessageSearchIndex.Offsets o = new MessageSearchIndex.Offsets();
      Random random = new Random(count);
      Set<Integer> added = new TreeSet<>();
      while (added.size() < count) {
        int offset = random.nextInt(MessageSearchIndex.SEGMENT);
        added.add(offset);
        o.add(offset);
      }
      byte[] encoded = o.encode();
      assertThat(encoded.length).isEqualTo(Math.min(2 * count, MessageSearchIndex.Offsets.BITMAP_BYTES))
          .isLessThanOrEqualTo(MessageSearchIndex.Offsets.BITMAP_BYTES);
      MessageSearchIndex.Offsets back = MessageSearchIndex.Offsets.decode(encoded);
      List<Integer> read = new ArrayList<>();
      for (int i = back.nextSet(0); i >= 0; i = back.nextSet(i + 1)) {
        read.add(i);
      }
      assertThat(read).isEqualTo(new ArrayList<>(added));
      assertThat(back.count).isEqualTo(count);
    }
  }

  private static long insertV2(Connection c, String body, long sentAt) throws Exception {
    return Jdbc.insert(c, "INSERT INTO message (conversation_id, direction, sender_account, sender_device, body, "
        + "sent_at, status, status_at) VALUES (1, 'OUT', 'me', 1, ?, ?, 'SENT', ?)", body, sentAt, sentAt);
  }

  private static long sealedBelow(Database db) {
    return db.inTransaction(MessageSearchIndex::sealedBelow);
  }

  private static boolean tableExists(Database db, String name) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT 1 FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = ?",
        r -> 1, name).isPresent());
  }

  private static DataSource dataSource(Path dir) throws Exception {
    String key = Files.readString(dir.resolve("db.key")).strip();
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + dir.toAbsolutePath().resolve("parley")
        + ";CIPHER=AES;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000");
    ds.setUser("parley");
    ds.setPassword(key + " " + key);
    return ds;
  }
}
