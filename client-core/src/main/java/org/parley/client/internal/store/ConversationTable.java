package org.parley.client.internal.store;

import java.util.List;
import java.util.Optional;
import org.parley.client.internal.db.Database;

/** One conversation per contact (table {@code conversation}). */
public final class ConversationTable {

  /** The version of this store's newest migration (db/client/conversation). */
  static final String SCHEMA_VERSION = "1";

  /** One conversation. */
  public record Row(long id, String contactAccountId, long lastActivity) {}

  private final Database db;

  public ConversationTable(Database db) {
    this.db = db;
    db.migrate("conversation", SCHEMA_VERSION);
  }

  /** The conversation with {@code accountId}, created if needed; {@code activity} moves its last activity on. */
  public long touch(String accountId, long activity) {
    return db.inTransaction(c -> {
      Optional<Long> id = Jdbc.one(c, "SELECT id FROM conversation WHERE contact_account_id = ?", r -> r.getLong(1),
          accountId);
      if (id.isPresent()) {
        Jdbc.update(c, "UPDATE conversation SET last_activity = GREATEST(last_activity, ?) WHERE id = ?", activity,
            id.get());
        return id.get();
      }
      return Jdbc.insert(c, "INSERT INTO conversation (contact_account_id, last_activity, created_at) "
          + "VALUES (?, ?, ?)", accountId, activity, activity);
    });
  }

  public Optional<Row> byContact(String accountId) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT id, contact_account_id, last_activity FROM conversation "
        + "WHERE contact_account_id = ?", r -> new Row(r.getLong(1), r.getString(2), r.getLong(3)), accountId));
  }

  public Optional<Row> byId(long id) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT id, contact_account_id, last_activity FROM conversation "
        + "WHERE id = ?", r -> new Row(r.getLong(1), r.getString(2), r.getLong(3)), id));
  }

  public List<Row> all() {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT id, contact_account_id, last_activity FROM conversation "
        + "ORDER BY last_activity DESC", r -> new Row(r.getLong(1), r.getString(2), r.getLong(3))));
  }

  /** Deletes a conversation (its messages are the caller's); the next message creates it again. */
  public void delete(long id) {
    db.run(c -> Jdbc.update(c, "DELETE FROM conversation WHERE id = ?", id));
  }
}
