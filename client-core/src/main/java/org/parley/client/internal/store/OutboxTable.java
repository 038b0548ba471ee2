package org.parley.client.internal.store;

import java.util.List;
import java.util.Optional;
import org.parley.client.internal.db.Database;

/** What still has to be sent (table {@code outbox}); a row goes only after the server accepted it. */
public final class OutboxTable {

  /** The version of this store's newest migration (db/client/outbox). */
  static final String SCHEMA_VERSION = "3";

  /** One pending send: plaintext Content for every device of {@code destinationAccount}. */
  public record Row(long id, String destinationAccount, byte[] content, long sentAt, Long messageId,
      boolean ephemeral, int attempts, long nextAttemptAt) {}

  private final Database db;

  public OutboxTable(Database db) {
    this.db = db;
    db.migrate("outbox", SCHEMA_VERSION);
  }

  public long add(String destinationAccount, byte[] content, long sentAt, Long messageId, long now) {
    return db.inTransaction(c -> Jdbc.insert(c, "INSERT INTO outbox (destination_account, content, sent_at, "
        + "message_id, ephemeral, next_attempt_at, created_at) VALUES (?, ?, ?, ?, FALSE, ?, ?)", destinationAccount,
        content, sentAt, messageId, now, now));
  }

  /**
   * The oldest row due at {@code now}, if any. Rows for one destination go strictly in order: a row waits while an
   * older one for the same destination is waiting for its retry.
   */
  public Optional<Row> nextDue(long now) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT id, destination_account, content, sent_at, message_id, "
        + "ephemeral, attempts, next_attempt_at FROM outbox o WHERE next_attempt_at <= ? AND NOT EXISTS "
        + "(SELECT 1 FROM outbox p WHERE p.destination_account = o.destination_account AND p.id < o.id) "
        + "ORDER BY id LIMIT 1",
        r -> new Row(r.getLong(1), r.getString(2), r.getBytes(3), r.getLong(4), (Long) r.getObject(5),
            r.getBoolean(6), r.getInt(7), r.getLong(8)), now));
  }

  /**
   * Up to {@code limit} rows due at {@code now} that are each the oldest of their destination, oldest first: rows
   * that may be sent side by side without changing any destination's order.
   */
  public List<Row> firstDue(long now, int limit) {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT id, destination_account, content, sent_at, message_id, "
        + "ephemeral, attempts, next_attempt_at FROM outbox o WHERE next_attempt_at <= ? AND NOT EXISTS "
        + "(SELECT 1 FROM outbox p WHERE p.destination_account = o.destination_account AND p.id < o.id) "
        + "ORDER BY id LIMIT ?",
        r -> new Row(r.getLong(1), r.getString(2), r.getBytes(3), r.getLong(4), (Long) r.getObject(5),
            r.getBoolean(6), r.getInt(7), r.getLong(8)), now, limit));
  }

  /**
   * The rows of {@code destinationAccount} from {@code fromId} on, oldest first, up to {@code limit}, ending before
   * the first that is not due at {@code now} (the rows after it must wait for it).
   */
  public List<Row> dueRun(String destinationAccount, long fromId, long now, int limit) {
    List<Row> rows = db.inTransaction(c -> Jdbc.list(c, "SELECT id, destination_account, content, sent_at, "
        + "message_id, ephemeral, attempts, next_attempt_at FROM outbox WHERE destination_account = ? AND id >= ? "
        + "ORDER BY id LIMIT ?",
        r -> new Row(r.getLong(1), r.getString(2), r.getBytes(3), r.getLong(4), (Long) r.getObject(5),
            r.getBoolean(6), r.getInt(7), r.getLong(8)), destinationAccount, fromId, limit));
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).nextAttemptAt() > now) {
        return rows.subList(0, i);
      }
    }
    return rows;
  }

  /** When the earliest row that is first for its destination is due, if there is one. */
  public Optional<Long> earliestDue() {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT next_attempt_at FROM outbox o WHERE NOT EXISTS "
        + "(SELECT 1 FROM outbox p WHERE p.destination_account = o.destination_account AND p.id < o.id) "
        + "ORDER BY next_attempt_at LIMIT 1",
        r -> r.getLong(1)).stream().findFirst());
  }

  public void retryLater(long id, long nextAttemptAt, String error) {
    db.run(c -> Jdbc.update(c, "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? "
        + "WHERE id = ?", nextAttemptAt, error.length() > 1000 ? error.substring(0, 1000) : error, id));
  }

  /** Puts a row off until {@code nextAttemptAt} without counting a failed attempt (it waits for its uploads). */
  public void postpone(long id, long nextAttemptAt, String reason) {
    db.run(c -> Jdbc.update(c, "UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?", nextAttemptAt,
        reason.length() > 1000 ? reason.substring(0, 1000) : reason, id));
  }

  /** Makes the rows of message {@code messageId} due at {@code at} (its uploads ended). */
  public void dueAt(long messageId, long at) {
    db.run(c -> Jdbc.update(c, "UPDATE outbox SET next_attempt_at = ? WHERE message_id = ?", at, messageId));
  }

  /** Makes every row due now (after reconnecting). */
  public void wakeAll(long now) {
    db.run(c -> Jdbc.update(c, "UPDATE outbox SET next_attempt_at = ? WHERE next_attempt_at > ?", now, now));
  }

  public void delete(long id) {
    db.run(c -> Jdbc.update(c, "DELETE FROM outbox WHERE id = ?", id));
  }

  /** Deletes the rows that send the given messages (they were deleted, or their upload was cancelled). */
  public int deleteForMessages(List<Long> messageIds) {
    if (messageIds.isEmpty()) {
      return 0;
    }
    return db.inTransaction(c -> Jdbc.update(c, "DELETE FROM outbox WHERE message_id = ANY(?)",
        (Object) messageIds.toArray(Long[]::new)));
  }

  /** Whether a row still sends message {@code messageId}. */
  public boolean hasMessage(long messageId) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT 1 FROM outbox WHERE message_id = ? LIMIT 1", r -> 1,
        messageId)).isPresent();
  }

  public int size() {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT COUNT(*) FROM outbox", r -> r.getInt(1)).orElse(0));
  }

  public List<Long> ids() {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT id FROM outbox ORDER BY id", r -> r.getLong(1)));
  }
}
