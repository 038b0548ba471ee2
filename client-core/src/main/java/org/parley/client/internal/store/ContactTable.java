package org.parley.client.internal.store;

import java.util.List;
import java.util.Optional;
import org.parley.client.internal.db.Database;

/** Account id ↔ phone number of the people we talk to (table {@code contact}). */
public final class ContactTable {

  /** The version of this store's newest migration (db/client/contact). */
  static final String SCHEMA_VERSION = "1";

  /** One contact. */
  public record Row(String accountId, String number) {}

  private final Database db;

  public ContactTable(Database db) {
    this.db = db;
    db.migrate("contact", SCHEMA_VERSION);
  }

  /** Records (or corrects) the number of an account; a number moved to a new account follows it. */
  public void put(String accountId, String number, long now) {
    db.run(c -> {
      Jdbc.update(c, "DELETE FROM contact WHERE number = ? AND account_id <> ?", number, accountId);
      Jdbc.update(c, "MERGE INTO contact (account_id, number, created_at) KEY (account_id) VALUES (?, ?, ?)",
          accountId, number, now);
    });
  }

  public Optional<Row> byNumber(String number) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT account_id, number FROM contact WHERE number = ?",
        r -> new Row(r.getString(1), r.getString(2)), number));
  }

  public Optional<Row> byAccount(String accountId) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT account_id, number FROM contact WHERE account_id = ?",
        r -> new Row(r.getString(1), r.getString(2)), accountId));
  }

  public List<Row> all() {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT account_id, number FROM contact ORDER BY number",
        r -> new Row(r.getString(1), r.getString(2))));
  }
}
