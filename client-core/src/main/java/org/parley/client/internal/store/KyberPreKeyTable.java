package org.parley.client.internal.store;

import java.util.List;
import org.parley.client.internal.db.Database;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.ReusedBaseKeyException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.KyberPreKeyStore;

/**
 * Kyber prekeys (table {@code kyber_prekey}): one-time keys are deleted when used; the last-resort key stays, and
 * each (signed prekey, base key) it was used with is remembered so a replayed handshake is refused.
 */
public final class KyberPreKeyTable implements KyberPreKeyStore {

  /** The version of this store's newest migration (db/client/kyber_prekey). */
  static final String SCHEMA_VERSION = "1";

  private final Database db;

  public KyberPreKeyTable(Database db) {
    this.db = db;
    db.migrate("kyber_prekey", SCHEMA_VERSION);
  }

  @Override
  public KyberPreKeyRecord loadKyberPreKey(int id) throws InvalidKeyIdException {
    byte[] record = db.inTransaction(c -> Jdbc.one(c, "SELECT record FROM kyber_prekey WHERE id = ?",
        r -> r.getBytes(1), id).orElse(null));
    if (record == null) {
      throw new InvalidKeyIdException("No Kyber prekey " + id);
    }
    return parse(record);
  }

  @Override
  public List<KyberPreKeyRecord> loadKyberPreKeys() {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT record FROM kyber_prekey ORDER BY id",
        r -> parse(r.getBytes(1))));
  }

  @Override
  public void storeKyberPreKey(int id, KyberPreKeyRecord record) {
    store(id, record, false);
  }

  /** Stores a key, marking whether it is the last-resort key (kept after use). */
  public void store(int id, KyberPreKeyRecord record, boolean lastResort) {
    db.run(c -> Jdbc.update(c, "MERGE INTO kyber_prekey (id, record, last_resort) KEY (id) VALUES (?, ?, ?)", id,
        record.serialize(), lastResort));
  }

  /** The last-resort keys (the current one and older ones kept for queued first messages). */
  public List<KyberPreKeyRecord> lastResortKeys() {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT record FROM kyber_prekey WHERE last_resort ORDER BY id",
        r -> parse(r.getBytes(1))));
  }

  public void remove(int id) {
    db.run(c -> {
      Jdbc.update(c, "DELETE FROM kyber_prekey WHERE id = ?", id);
      Jdbc.update(c, "DELETE FROM kyber_prekey_use WHERE kyber_id = ?", id);
    });
  }

  @Override
  public boolean containsKyberPreKey(int id) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT 1 FROM kyber_prekey WHERE id = ?", r -> 1, id).isPresent());
  }

  @Override
  public void markKyberPreKeyUsed(int id, int signedPreKeyId, ECPublicKey baseKey) throws ReusedBaseKeyException {
    boolean reused = db.inTransaction(c -> {
      boolean lastResort = Jdbc.one(c, "SELECT last_resort FROM kyber_prekey WHERE id = ?", r -> r.getBoolean(1), id)
          .orElse(false);
      if (!lastResort) {
        Jdbc.update(c, "DELETE FROM kyber_prekey WHERE id = ?", id);
        return false;
      }
      byte[] key = baseKey.serialize();
      if (Jdbc.one(c, "SELECT 1 FROM kyber_prekey_use WHERE kyber_id = ? AND signed_prekey_id = ? AND base_key = ?",
          r -> 1, id, signedPreKeyId, key).isPresent()) {
        return true;
      }
      Jdbc.update(c, "INSERT INTO kyber_prekey_use (kyber_id, signed_prekey_id, base_key) VALUES (?, ?, ?)", id,
          signedPreKeyId, key);
      return false;
    });
    if (reused) {
      throw new ReusedBaseKeyException("Kyber prekey " + id + " already used with this base key");
    }
  }

  private static KyberPreKeyRecord parse(byte[] bytes) {
    try {
      return new KyberPreKeyRecord(bytes);
    } catch (InvalidMessageException e) {
      throw new IllegalStateException("Kyber prekey is corrupt", e);
    }
  }
}
