package org.parley.client.internal.store;

import org.parley.client.internal.db.Database;

/**
 * Server GUIDs of envelopes already processed (table {@code processed_envelope}), keyed by the server's timestamp
 * first so that a drain appends to the index rather than rewriting random pages of it.
 */
public final class ProcessedEnvelopeTable {

  /** The version of this store's newest migration (db/client/processed_envelope). */
  static final String SCHEMA_VERSION = "2";

  /** One primary-key lookup for the envelope's time, one for the rows recorded before the time was kept. */
  static final String SEEN_SQL = "SELECT 1 FROM processed_envelope WHERE server_timestamp IN (?, 0) "
      + "AND server_guid = ?";

  private final Database db;

  public ProcessedEnvelopeTable(Database db) {
    this.db = db;
    db.migrate("processed_envelope", SCHEMA_VERSION);
  }

  /**
   * Whether the envelope the server accepted at {@code serverTimestamp} with {@code serverGuid} was processed; rows
   * recorded before the timestamp was kept (0) count too.
   */
  public boolean seen(long serverTimestamp, String serverGuid) {
    return db.inTransaction(c -> Jdbc.one(c, SEEN_SQL, r -> 1, serverTimestamp, serverGuid).isPresent());
  }

  public void record(long serverTimestamp, String serverGuid, long now) {
    db.run(c -> Jdbc.update(c, "MERGE INTO processed_envelope (server_timestamp, server_guid, processed_at) "
        + "KEY (server_timestamp, server_guid) VALUES (?, ?, ?)", serverTimestamp, serverGuid, now));
  }
}
