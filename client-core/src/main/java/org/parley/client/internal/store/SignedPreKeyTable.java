package org.parley.client.internal.store;

import java.util.List;
import org.parley.client.internal.db.Database;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyStore;

/** Signed EC prekeys (table {@code signed_prekey}). */
public final class SignedPreKeyTable implements SignedPreKeyStore {

  /** The version of this store's newest migration (db/client/signed_prekey). */
  static final String SCHEMA_VERSION = "1";

  private final Database db;

  public SignedPreKeyTable(Database db) {
    this.db = db;
    db.migrate("signed_prekey", SCHEMA_VERSION);
  }

  @Override
  public SignedPreKeyRecord loadSignedPreKey(int id) throws InvalidKeyIdException {
    byte[] record = db.inTransaction(c -> Jdbc.one(c, "SELECT record FROM signed_prekey WHERE id = ?",
        r -> r.getBytes(1), id).orElse(null));
    if (record == null) {
      throw new InvalidKeyIdException("No signed prekey " + id);
    }
    return parse(record);
  }

  @Override
  public List<SignedPreKeyRecord> loadSignedPreKeys() {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT record FROM signed_prekey ORDER BY id",
        r -> parse(r.getBytes(1))));
  }

  @Override
  public void storeSignedPreKey(int id, SignedPreKeyRecord record) {
    db.run(c -> Jdbc.update(c, "MERGE INTO signed_prekey (id, record) KEY (id) VALUES (?, ?)", id,
        record.serialize()));
  }

  @Override
  public boolean containsSignedPreKey(int id) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT 1 FROM signed_prekey WHERE id = ?", r -> 1, id).isPresent());
  }

  @Override
  public void removeSignedPreKey(int id) {
    db.run(c -> Jdbc.update(c, "DELETE FROM signed_prekey WHERE id = ?", id));
  }

  private static SignedPreKeyRecord parse(byte[] bytes) {
    try {
      return new SignedPreKeyRecord(bytes);
    } catch (InvalidMessageException e) {
      throw new IllegalStateException("signed prekey is corrupt", e);
    }
  }
}
