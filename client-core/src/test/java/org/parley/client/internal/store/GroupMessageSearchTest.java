package org.parley.client.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.MessageStatus;
import org.parley.client.internal.db.Database;

/**
 * Search over group messages ({@link GroupMessageTable#search}): the trigram index of the 1:1 messages, over tables of
 * its own, against a substring scan of what was stored — messages from before the index existed (built by the V2
 * migration), sealed segments and the open one. Real encrypted H2.
 */
class GroupMessageSearchTest {

  @TempDir
  Path dir;

  private static final String[] WORDS = {"lunch", "Harbour", "ÄPFEL", "straße", "😀", "x", "100%", "it's"};

  private static String sentence(Random random) {
    StringBuilder b = new StringBuilder();
    int words = 1 + random.nextInt(6);
    for (int i = 0; i < words; i++) {
      b.append(i > 0 ? " " : "").append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(50));
    }
    return b.toString();
  }

  private static List<Long> scan(List<GroupMessageTable.Row> stored, String query, int limit) {
    String q = query.toLowerCase(Locale.ROOT);
    return stored.stream().filter(r -> r.body().toLowerCase(Locale.ROOT).contains(q))
        .sorted(Comparator.comparingLong(GroupMessageTable.Row::sentAt).thenComparingLong(GroupMessageTable.Row::id)
            .reversed())
        .limit(limit).map(GroupMessageTable.Row::id).toList();
  }

  private static long sealedBelow(Database db) {
    return db.inTransaction(c -> MessageSearchIndex.sealedBelow(c, MessageSearchIndex.GROUP_MESSAGES));
  }

  @Test
  void findsWhatAScanFindsIncludingMessagesStoredBeforeTheIndexExisted() throws Exception {
    Random random = new Random(14);
    try (Database db = Database.open(dir)) {
      // A store at V1 (no index yet) with more than a segment of messages, as an older Parley left it.
      db.migrate("group_message", "1");
      int before = MessageSearchIndex.SEGMENT + 100;
      db.run(c -> {
        for (int i = 0; i < before; i++) {
          Jdbc.insert(c, "INSERT INTO group_message (group_id, sender_number, sender_account, outgoing, body, sent_at, "
              + "received_at, status, status_at) VALUES (?, '+15550001', 'acc-1', FALSE, ?, ?, 1, 'DELIVERED', 1)",
              "g" + (i % 3), sentence(random), 1_000_000L + random.nextInt(5_000));
        }
      });
      GroupMessageTable messages = new GroupMessageTable(db);
      assertThat(sealedBelow(db))
          .isEqualTo((long) MessageSearchIndex.SEGMENT);
      // Then messages stored through the table, across the next segment boundary.
      for (int i = 0; i < MessageSearchIndex.SEGMENT; i++) {
        if (random.nextBoolean()) {
          messages.insertOutgoing("g1", "+15550002", "acc-2", sentence(random), 2_000_000L + i, MessageStatus.SENT, 1);
        } else {
          messages.insertIncoming("g2", "+15550001", "acc-1", sentence(random), 2_000_000L + i, 1);
        }
      }
      assertThat(sealedBelow(db))
          .isEqualTo(2L * MessageSearchIndex.SEGMENT);
      List<GroupMessageTable.Row> stored = new ArrayList<>();
      for (long id = 1; id <= before + MessageSearchIndex.SEGMENT; id++) {
        messages.byId(id).ifPresent(stored::add);
      }
      assertThat(stored).hasSize(before + MessageSearchIndex.SEGMENT);
      for (String query : List.of("lunch", "LUNCH1", "harbour4", "äpfel", "STRASSE", "straße", "😀", "x", "%", "'",
          "0% it", "nothing")) {
        for (int dense : new int[] {MessageSearchIndex.DENSE, 20}) {
          assertThat(messages.search(query, 40, dense)).as(query + " (dense " + dense + ")")
              .extracting(GroupMessageTable.Row::id).containsExactlyElementsOf(scan(stored, query, 40));
        }
      }
      // The 1:1 index is not touched by group messages.
      assertThat(new MessageTable(db).search("lunch", 10)).isEmpty();
    }
  }
}
