package org.parley.client.internal.store;

import org.parley.client.internal.db.Database;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyStore;

/** One-time EC prekeys (table {@code prekey}). */
public final class PreKeyTable implements PreKeyStore {

  /** The version of this store's newest migration (db/client/prekey). */
  static final String SCHEMA_VERSION = "1";

  private final Database db;

  public PreKeyTable(Database db) {
    this.db = db;
    db.migrate("prekey", SCHEMA_VERSION);
  }

  @Override
  public PreKeyRecord loadPreKey(int id) throws InvalidKeyIdException {
    byte[] record = db.inTransaction(c -> Jdbc.one(c, "SELECT record FROM prekey WHERE id = ?",
        r -> r.getBytes(1), id).orElse(null));
    if (record == null) {
      throw new InvalidKeyIdException("No prekey " + id);
    }
    try {
      return new PreKeyRecord(record);
    } catch (InvalidMessageException e) {
      throw new IllegalStateException("prekey " + id + " is corrupt", e);
    }
  }

  @Override
  public void storePreKey(int id, PreKeyRecord record) {
    db.run(c -> Jdbc.update(c, "MERGE INTO prekey (id, record) KEY (id) VALUES (?, ?)", id, record.serialize()));
  }

  @Override
  public boolean containsPreKey(int id) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT 1 FROM prekey WHERE id = ?", r -> 1, id).isPresent());
  }

  @Override
  public void removePreKey(int id) {
    db.run(c -> Jdbc.update(c, "DELETE FROM prekey WHERE id = ?", id));
  }
}
