package org.parley.client.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.client.api.MessageStatus;
import org.parley.client.internal.db.Database;

/** The message table's queries on a real (encrypted) H2 database: results, and what H2 does to get them. */
class MessageTableTest {

  Database db;
  MessageTable messages;

  @BeforeEach
  void open() throws Exception {
    db = Database.open(Files.createTempDirectory("parley-messages"));
    messages = new MessageTable(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private List<String> texts(List<MessageTable.Row> rows) {
    return rows.stream().map(MessageTable.Row::body).toList();
  }

  @Test
  void historyPagesBackwardsFromAMessageIncludingMessagesWithTheSameTimestamp() {
    List<Long> ids = new ArrayList<>();
    db.run(c -> {
      for (int i = 0; i < 10; i++) {
        // Ours and theirs share each timestamp: the cursor must not skip or repeat either.
        ids.add(messages.insertOutgoing(1, "me", 1, "out " + i, 1000 + i, MessageStatus.SENT));
        ids.add(messages.insertIncoming(1, "them", 1, "in " + i, 1000 + i, "g" + i, 5000).orElseThrow());
      }
      messages.insertOutgoing(2, "me", 1, "other conversation", 999, MessageStatus.SENT);
    });
    List<MessageTable.Row> newest = messages.history(1, 3);
    assertThat(texts(newest)).containsExactly("in 8", "out 9", "in 9");
    MessageTable.Row first = newest.get(0);
    List<String> seen = new ArrayList<>(texts(newest));
    while (true) {
      List<MessageTable.Row> page = messages.historyBefore(1, first.sentAt(), first.id(), 3);
      if (page.isEmpty()) {
        break;
      }
      List<String> all = new ArrayList<>(texts(page));
      all.addAll(seen);
      seen = all;
      first = page.get(0);
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add("out " + i);
      expected.add("in " + i);
    }
    assertThat(seen).isEqualTo(expected);
  }

  /** H2 walks the (conversation, time, id) index newest first and stops at the limit: no sort of the conversation. */
  @Test
  void historyPagesReadTheIndexInOrderInsteadOfSortingTheConversation() {
    for (String sql : List.of(MessageTable.HISTORY_SQL, MessageTable.HISTORY_BEFORE_SQL)) {
      String plan = db.inTransaction(c -> {
        try (var s = c.prepareStatement("EXPLAIN " + sql)) {
          int parameters = sql.length() - sql.replace("?", "").length();
          for (int i = 1; i <= parameters; i++) {
            s.setLong(i, 1);
          }
          try (var r = s.executeQuery()) {
            r.next();
            return r.getString(1);
          }
        }
      });
      assertThat(plan.toUpperCase(Locale.ROOT)).as(plan).contains("MESSAGE_CONVERSATION_TIME")
          .contains("/* INDEX SORTED */");
    }
  }

  /** The unread count comes back as one row, not as the messages (H2's query statistics count returned rows). */
  @Test
  void unreadCountIsCountedByTheDatabase() {
    db.run(c -> {
      for (int i = 0; i < 300; i++) {
        messages.insertIncoming(1, "them", 1, "unread " + i, 1000 + i, "g" + i, 5000);
      }
    });
    db.run(c -> {
      try (var s = c.createStatement()) {
        s.execute("SET QUERY_STATISTICS TRUE");
      }
    });
    assertThat(messages.unreadCount(1)).isEqualTo(300);
    assertThat(messages.unreadCount(2)).isZero();
    long rowsReturned = db.inTransaction(c -> {
      try (var s = c.createStatement(); var r = s.executeQuery("SELECT SUM(CUMULATIVE_ROW_COUNT) FROM "
          + "INFORMATION_SCHEMA.QUERY_STATISTICS WHERE SQL_STATEMENT LIKE '%FROM message WHERE conversation_id%'")) {
        r.next();
        return r.getLong(1);
      }
    });
    assertThat(rowsReturned).isEqualTo(2);
  }

  @Test
  void searchIgnoresCaseTreatsWildcardsAsTextAndReturnsTheNewestFirst() {
    db.run(c -> {
      messages.insertIncoming(1, "them", 1, "Lunch at noon?", 1000, "g1", 5000);
      messages.insertOutgoing(2, "me", 1, "LUNCH is on me", 2000, MessageStatus.SENT);
      messages.insertOutgoing(1, "me", 1, "no lunch today", 3000, MessageStatus.SENT);
      messages.insertOutgoing(1, "me", 1, "100% sure", 4000, MessageStatus.SENT);
      messages.insertOutgoing(1, "me", 1, "1000 times", 5000, MessageStatus.SENT);
      messages.insertOutgoing(1, "me", 1, "snake_case", 6000, MessageStatus.SENT);
      messages.insertOutgoing(1, "me", 1, "snakeXcase", 7000, MessageStatus.SENT);
    });
    assertThat(texts(messages.search("lunch", 10))).containsExactly("no lunch today", "LUNCH is on me",
        "Lunch at noon?");
    assertThat(texts(messages.search("LUNCH", 2))).containsExactly("no lunch today", "LUNCH is on me");
    assertThat(texts(messages.search("0%", 10))).containsExactly("100% sure");
    assertThat(texts(messages.search("e_c", 10))).containsExactly("snake_case");
    assertThat(messages.search("dinner", 10)).isEmpty();
  }
}
