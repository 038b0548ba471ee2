package org.parley.client.internal.store;

import org.parley.client.internal.db.Database;

/** Server GUIDs of envelopes already processed (table {@code processed_envelope}). */
public final class ProcessedEnvelopeTable {

  /** The version of this store's newest migration (db/client/processed_envelope). */
  static final String SCHEMA_VERSION = "1";

  private final Database db;

  public ProcessedEnvelopeTable(Database db) {
    this.db = db;
    db.migrate("processed_envelope", SCHEMA_VERSION);
  }

  public boolean seen(String serverGuid) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT 1 FROM processed_envelope WHERE server_guid = ?", r -> 1,
        serverGuid).isPresent());
  }

  public void record(String serverGuid, long now) {
    db.run(c -> Jdbc.update(c, "MERGE INTO processed_envelope (server_guid, processed_at) KEY (server_guid) "
        + "VALUES (?, ?)", serverGuid, now));
  }
}
