package org.parley.client.internal.store;

import java.util.Optional;
import org.parley.client.internal.db.Database;

/** Small settings of this device (table {@code setting}), by name. */
public final class SettingTable {

  /** The version of this store's newest migration (db/client/setting). */
  static final String SCHEMA_VERSION = "1";

  private final Database db;

  public SettingTable(Database db) {
    this.db = db;
    db.migrate("setting", SCHEMA_VERSION);
  }

  public Optional<String> get(String name) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT setting_value FROM setting WHERE name = ?", r -> r.getString(1),
        name));
  }

  public long getLong(String name, long fallback) {
    return get(name).map(Long::parseLong).orElse(fallback);
  }

  public void put(String name, String value) {
    db.run(c -> Jdbc.update(c, "MERGE INTO setting (name, setting_value) KEY (name) VALUES (?, ?)", name, value));
  }
}
