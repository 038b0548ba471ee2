package org.parley.client.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.client.api.MessageStatus;
import org.parley.client.internal.db.Database;

/** Group messages (table {@code group_message}) and per-member receipts of ours ({@code group_receipt}). */
public final class GroupMessageTable {

  /** The version of this store's newest migration (db/client/group_message). */
  static final String SCHEMA_VERSION = "2";

  /** One stored group message. */
  public record Row(long id, String groupId, String senderNumber, String senderAccount, boolean outgoing,
      String body, long sentAt, Long receivedAt, MessageStatus status, long statusAt)
      implements MessageSearchIndex.Searchable {}

  /** One member's receipts of one of our messages. */
  public record ReceiptRow(String number, String accountId, Long deliveredAt, Long readAt) {}

  private static final String COLUMNS = "id, group_id, sender_number, sender_account, outgoing, body, sent_at, "
      + "received_at, status, status_at";

  private final Database db;

  public GroupMessageTable(Database db) {
    this.db = db;
    db.migrate("group_message", SCHEMA_VERSION, SearchIndexMigration.forGroupMessages());
  }

  private static Row map(ResultSet r) throws SQLException {
    return new Row(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getBoolean(5), r.getString(6),
        r.getLong(7), (Long) r.getObject(8), MessageStatus.valueOf(r.getString(9)), r.getLong(10));
  }

  /** Stores one of our messages (sent here or, as sync, on another of our devices). */
  public long insertOutgoing(String groupId, String ownNumber, String ownAccount, String body, long sentAt,
      MessageStatus status, long now) {
    return db.inTransaction(c -> {
      long id = Jdbc.insert(c, "INSERT INTO group_message (group_id, sender_number, sender_account, outgoing, body, "
          + "sent_at, status, status_at) VALUES (?, ?, ?, TRUE, ?, ?, ?, ?)", groupId, ownNumber, ownAccount, body,
          sentAt, status.name(), now);
      MessageSearchIndex.stored(c, MessageSearchIndex.GROUP_MESSAGES, id);
      return id;
    });
  }

  /** Stores an incoming message unless (sender, timestamp) is already there; empty for a duplicate. */
  public Optional<Long> insertIncoming(String groupId, String senderNumber, String senderAccount, String body,
      long sentAt, long receivedAt) {
    return db.inTransaction(c -> {
      if (Jdbc.one(c, "SELECT 1 FROM group_message WHERE sender_account = ? AND sent_at = ? AND group_id = ?",
          r -> 1, senderAccount, sentAt, groupId).isPresent()) {
        return Optional.empty();
      }
      long id = Jdbc.insert(c, "INSERT INTO group_message (group_id, sender_number, sender_account, outgoing, body, "
          + "sent_at, received_at, status, status_at) VALUES (?, ?, ?, FALSE, ?, ?, ?, 'DELIVERED', ?)", groupId,
          senderNumber, senderAccount, body, sentAt, receivedAt, receivedAt);
      MessageSearchIndex.stored(c, MessageSearchIndex.GROUP_MESSAGES, id);
      return Optional.of(id);
    });
  }

  /** The newest timestamp of the messages {@code ownAccount} sent to any group; 0 when none. */
  public long lastSentAt(String ownAccount) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT MAX(sent_at) FROM group_message WHERE sender_account = ? AND "
        + "outgoing", r -> r.getLong(1), ownAccount).orElse(0L));
  }

  /**
   * Our group messages with attachments that were never queued for the group (their uploads were running when the
   * client stopped), oldest first.
   */
  public List<Long> pendingWithAttachments() {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT DISTINCT m.id FROM group_message m JOIN attachment a ON "
        + "a.message_id = m.id AND a.owner = 'GROUP_MESSAGE' WHERE m.outgoing AND m.status = 'PENDING' AND NOT "
        + "EXISTS (SELECT 1 FROM group_outbox o WHERE o.message_id = m.id) ORDER BY m.id", r -> r.getLong(1)));
  }

  public Optional<Row> byId(long id) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT " + COLUMNS + " FROM group_message WHERE id = ?",
        GroupMessageTable::map, id));
  }

  public Optional<Row> outgoing(String groupId, String ownAccount, long sentAt) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT " + COLUMNS + " FROM group_message WHERE group_id = ? AND "
        + "sender_account = ? AND sent_at = ? AND outgoing", GroupMessageTable::map, groupId, ownAccount, sentAt));
  }

  public Optional<Row> incoming(String groupId, String senderAccount, long sentAt) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT " + COLUMNS + " FROM group_message WHERE group_id = ? AND "
        + "sender_account = ? AND sent_at = ? AND NOT outgoing", GroupMessageTable::map, groupId, senderAccount,
        sentAt));
  }

  /** The newest {@code limit} messages of a group, oldest first. */
  public List<Row> history(String groupId, int limit) {
    List<Row> rows = new ArrayList<>(db.inTransaction(c -> Jdbc.list(c, "SELECT " + COLUMNS + " FROM group_message "
        + "WHERE group_id = ? ORDER BY sent_at DESC, id DESC LIMIT ?", GroupMessageTable::map, groupId, limit)));
    Collections.reverse(rows);
    return rows;
  }

  /**
   * Group messages of every group whose text contains {@code query} ignoring case, newest first, at most
   * {@code limit}: the same trigram search as {@link MessageTable#search}, over the group messages' own index.
   */
  public List<Row> search(String query, int limit) {
    return search(query, limit, MessageSearchIndex.DENSE);
  }

  /** {@link #search} with another threshold for a common text (tests). */
  List<Row> search(String query, int limit, int dense) {
    return db.inTransaction(c -> MessageSearchIndex.search(c, MessageSearchIndex.GROUP_MESSAGES, query, limit,
        COLUMNS, GroupMessageTable::map, dense));
  }

  public int unread(String groupId) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT COUNT(*) FROM group_message WHERE group_id = ? AND NOT outgoing "
        + "AND status <> 'READ'", r -> r.getInt(1), groupId).orElse(0));
  }

  /** Moves a message's status forward only; true when it changed. */
  public boolean advance(long id, MessageStatus status, long now) {
    return db.inTransaction(c -> {
      Optional<Row> row = byId(id);
      if (row.isEmpty() || !status.isAfter(row.get().status())) {
        return false;
      }
      return Jdbc.update(c, "UPDATE group_message SET status = ?, status_at = ? WHERE id = ?", status.name(), now,
          id) > 0;
    });
  }

  public boolean fail(long id, long now) {
    return db.inTransaction(c -> Jdbc.update(c, "UPDATE group_message SET status = 'FAILED', status_at = ? "
        + "WHERE id = ? AND status = 'PENDING'", now, id) > 0);
  }

  /** A failed message of ours is pending again (its uploads are retried); returns whether it moved. */
  public boolean requeue(long id, long now) {
    return db.inTransaction(c -> Jdbc.update(c, "UPDATE group_message SET status = 'PENDING', status_at = ? "
        + "WHERE id = ? AND status = 'FAILED' AND outgoing", now, id) > 0);
  }

  /** Marks the group's incoming messages read; returns them (sender account → timestamps come from the rows). */
  public List<Row> markRead(String groupId, long now) {
    return db.inTransaction(c -> {
      List<Row> unread = Jdbc.list(c, "SELECT " + COLUMNS + " FROM group_message WHERE group_id = ? AND NOT outgoing "
          + "AND status <> 'READ'", GroupMessageTable::map, groupId);
      Jdbc.update(c, "UPDATE group_message SET status = 'READ', status_at = ? WHERE group_id = ? AND NOT outgoing "
          + "AND status <> 'READ'", now, groupId);
      return unread;
    });
  }

  // ---- receipts ----

  /** The recipients of our message, none delivered yet (members' number by account). */
  public void expectReceipts(long messageId, Map<String, String> numberByAccount) {
    db.run(c -> {
      for (Map.Entry<String, String> member : numberByAccount.entrySet()) {
        Jdbc.update(c, "MERGE INTO group_receipt (message_id, account_id, number) KEY (message_id, account_id) "
            + "VALUES (?, ?, ?)", messageId, member.getKey(), member.getValue());
      }
    });
  }

  /** Records a member's receipt; true when it changed anything. */
  public boolean receipt(long messageId, String accountId, boolean read, long now) {
    return db.inTransaction(c -> {
      int changed = Jdbc.update(c, "UPDATE group_receipt SET delivered_at = COALESCE(delivered_at, ?) "
          + "WHERE message_id = ? AND account_id = ? AND delivered_at IS NULL", now, messageId, accountId);
      if (read) {
        changed += Jdbc.update(c, "UPDATE group_receipt SET read_at = ? WHERE message_id = ? AND account_id = ? "
            + "AND read_at IS NULL", now, messageId, accountId);
      }
      return changed > 0;
    });
  }

  public List<ReceiptRow> receipts(long messageId) {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT number, account_id, delivered_at, read_at FROM group_receipt "
        + "WHERE message_id = ? ORDER BY number", r -> new ReceiptRow(r.getString(1), r.getString(2),
            (Long) r.getObject(3), (Long) r.getObject(4)), messageId));
  }
}
