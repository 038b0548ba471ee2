package org.parley.client.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.parley.client.api.Message.Direction;
import org.parley.client.api.MessageStatus;
import org.parley.client.internal.db.Database;

/** The messages of all conversations (table {@code message}). */
public final class MessageTable {

  /** The version of this store's newest migration (db/client/message). */
  static final String SCHEMA_VERSION = "4";

  /** One stored message. */
  public record Row(long id, long conversationId, Direction direction, String senderAccount, int senderDevice,
      String body, long sentAt, Long receivedAt, MessageStatus status, long statusAt)
      implements MessageSearchIndex.Searchable {}

  private static final String COLUMNS = "id, conversation_id, direction, sender_account, sender_device, body, "
      + "sent_at, received_at, status, status_at";

  private final Database db;

  public MessageTable(Database db) {
    this.db = db;
    db.migrate("message", SCHEMA_VERSION, SearchIndexMigration.forMessages());
  }

  private static Row map(ResultSet r) throws SQLException {
    return new Row(r.getLong(1), r.getLong(2), r.getString(3).equals("IN") ? Direction.INCOMING : Direction.OUTGOING,
        r.getString(4), r.getInt(5), r.getString(6), r.getLong(7), (Long) r.getObject(8),
        MessageStatus.valueOf(r.getString(9)), r.getLong(10));
  }

  /** Stores an outgoing message (status pending). */
  public long insertOutgoing(long conversationId, String ownAccount, int ownDevice, String body, long sentAt,
      MessageStatus status) {
    return db.inTransaction(c -> {
      long id = Jdbc.insert(c, "INSERT INTO message (conversation_id, direction, sender_account, "
          + "sender_device, body, sent_at, status, status_at) VALUES (?, 'OUT', ?, ?, ?, ?, ?, ?)", conversationId,
          ownAccount, ownDevice, body, sentAt, status.name(), sentAt);
      MessageSearchIndex.stored(c, id);
      return id;
    });
  }

  /**
   * Stores an incoming message unless one with the same (sender, timestamp) is already there (a copy delivered
   * again is caught earlier, by its GUID in {@code processed_envelope}); returns the new id, or empty for a
   * duplicate.
   */
  public Optional<Long> insertIncoming(long conversationId, String senderAccount, int senderDevice, String body,
      long sentAt, String serverGuid, long receivedAt) {
    return db.inTransaction(c -> {
      if (Jdbc.one(c, "SELECT 1 FROM message WHERE sender_account = ? AND sent_at = ?", r -> 1, senderAccount,
          sentAt).isPresent()) {
        return Optional.empty();
      }
      long id = Jdbc.insert(c, "INSERT INTO message (conversation_id, direction, sender_account, "
          + "sender_device, body, sent_at, server_guid, received_at, status, status_at) "
          + "VALUES (?, 'IN', ?, ?, ?, ?, ?, ?, 'DELIVERED', ?)", conversationId, senderAccount, senderDevice, body,
          sentAt, serverGuid, receivedAt, receivedAt);
      MessageSearchIndex.stored(c, id);
      return Optional.of(id);
    });
  }

  public Optional<Row> byId(long id) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT " + COLUMNS + " FROM message WHERE id = ?", MessageTable::map,
        id));
  }

  /** Our outgoing message in {@code conversationId} with the given timestamp. */
  public Optional<Row> outgoing(long conversationId, String ownAccount, long sentAt) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT " + COLUMNS + " FROM message WHERE conversation_id = ? AND "
        + "sender_account = ? AND sent_at = ?", MessageTable::map, conversationId, ownAccount, sentAt));
  }

  /** The message {@code senderAccount} sent at {@code sentAt} (its unique key across devices and resends). */
  public Optional<Row> bySender(String senderAccount, long sentAt) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT " + COLUMNS + " FROM message WHERE sender_account = ? AND "
        + "sent_at = ?", MessageTable::map, senderAccount, sentAt));
  }

  /** Moves a message's status forward (never back); returns whether it changed. */
  public boolean advance(long id, MessageStatus status, long at) {
    return db.inTransaction(c -> {
      Optional<Row> row = byId(id);
      if (row.isEmpty() || !status.isAfter(row.get().status()) || row.get().status() == MessageStatus.FAILED) {
        return false;
      }
      Jdbc.update(c, "UPDATE message SET status = ?, status_at = ? WHERE id = ?", status.name(), at, id);
      return true;
    });
  }

  /** Puts a failed outgoing message back to pending (its send is tried again); returns whether it moved. */
  public boolean requeue(long id, long at) {
    return db.inTransaction(c -> Jdbc.update(c, "UPDATE message SET status = 'PENDING', status_at = ? WHERE id = ? "
        + "AND direction = 'OUT' AND status = 'FAILED'", at, id) == 1);
  }

  /** The ids of every message of a conversation. */
  public List<Long> idsInConversation(long conversationId) {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT id FROM message WHERE conversation_id = ?", r -> r.getLong(1),
        conversationId));
  }

  /**
   * Deletes messages. Their search index entries stay until their segment is rebuilt: a search checks every
   * candidate against the message table, so an entry without a message is never shown.
   */
  public int delete(List<Long> ids) {
    if (ids.isEmpty()) {
      return 0;
    }
    return db.inTransaction(c -> Jdbc.update(c, "DELETE FROM message WHERE id = ANY(?)",
        (Object) ids.toArray(Long[]::new)));
  }

  /** Marks a message failed (only from pending). */
  public boolean fail(long id, long at) {
    return db.inTransaction(c -> Jdbc.update(c, "UPDATE message SET status = 'FAILED', status_at = ? WHERE id = ? "
        + "AND status = 'PENDING'", at, id) == 1);
  }

  /**
   * The newest first walk of one conversation: H2 reads {@code message_conversation_time} backwards and stops at the
   * limit — but only because the ORDER BY names every column of the index (conversation_id too, constant here).
   */
  static final String HISTORY_SQL = "SELECT " + COLUMNS + " FROM message WHERE conversation_id = ? "
      + "ORDER BY conversation_id DESC, sent_at DESC, id DESC LIMIT ?";
  /** The same walk starting strictly before (sent_at, id); the cursor of {@link #historyBefore}. */
  static final String HISTORY_BEFORE_SQL = "SELECT " + COLUMNS + " FROM message WHERE conversation_id = ? "
      + "AND sent_at <= ? AND (sent_at < ? OR id < ?) "
      + "ORDER BY conversation_id DESC, sent_at DESC, id DESC LIMIT ?";
  static final String UNREAD_COUNT_SQL = "SELECT COUNT(*) FROM message WHERE conversation_id = ? "
      + "AND direction = 'IN' AND status = 'DELIVERED'";

  /** The newest {@code limit} messages of a conversation, oldest first. */
  public List<Row> history(long conversationId, int limit) {
    List<Row> rows = db.inTransaction(c -> Jdbc.list(c, HISTORY_SQL, MessageTable::map, conversationId, limit));
    Collections.reverse(rows);
    return rows;
  }

  /**
   * The newest {@code limit} messages of a conversation that are older than the message ({@code sentAt}, {@code id})
   * — ordered by sender timestamp, then id — oldest first.
   */
  public List<Row> historyBefore(long conversationId, long sentAt, long id, int limit) {
    List<Row> rows = db.inTransaction(c -> Jdbc.list(c, HISTORY_BEFORE_SQL, MessageTable::map, conversationId,
        sentAt, sentAt, id, limit));
    Collections.reverse(rows);
    return rows;
  }

  /** The newest message of a conversation. */
  public Optional<Row> newest(long conversationId) {
    List<Row> rows = history(conversationId, 1);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /**
   * Messages of any conversation whose text contains {@code query} ignoring case ({@link Locale#ROOT} lower case on
   * both sides), newest first (sender time, then id), at most {@code limit}. Through the trigram index
   * ({@link MessageSearchIndex}); texts shorter than three chars, or made only of common trigrams, walk the messages
   * newest first and stop at {@code limit} hits.
   */
  public List<Row> search(String query, int limit) {
    return search(query, limit, MessageSearchIndex.DENSE);
  }

  /** {@link #search} with another threshold for a common text (tests). */
  List<Row> search(String query, int limit, int dense) {
    return db.inTransaction(c -> MessageSearchIndex.search(c, MessageSearchIndex.MESSAGES, query, limit,
        COLUMNS, MessageTable::map, dense));
  }

  /** The sender timestamps of the unread incoming messages of a conversation, oldest first. */
  public List<Long> unreadTimestamps(long conversationId) {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT sent_at FROM message WHERE conversation_id = ? AND "
        + "direction = 'IN' AND status = 'DELIVERED' ORDER BY sent_at", r -> r.getLong(1), conversationId));
  }

  /** Marks every unread incoming message of a conversation read, in one statement; returns how many. */
  public int markAllRead(long conversationId, long at) {
    return db.inTransaction(c -> Jdbc.update(c, "UPDATE message SET status = 'READ', status_at = ? WHERE "
        + "conversation_id = ? AND direction = 'IN' AND status = 'DELIVERED'", at, conversationId));
  }

  /** Incoming messages not yet read, counted by the database (one row comes back, not the messages). */
  public int unreadCount(long conversationId) {
    return db.inTransaction(c -> Jdbc.one(c, UNREAD_COUNT_SQL, r -> r.getInt(1), conversationId)).orElse(0);
  }
}
