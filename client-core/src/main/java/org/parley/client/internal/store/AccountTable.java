package org.parley.client.internal.store;

import java.util.Optional;
import org.parley.client.internal.db.Database;

/** The single account of a data directory (table {@code account}). */
public final class AccountTable {

  /** The version of this store's newest migration (db/client/account). */
  static final String SCHEMA_VERSION = "1";

  /** The row. {@code accountId}/{@code deviceId} are null until the number is verified and registered. */
  public record Row(String serverUrl, String number, int registrationId, byte[] identityKeyPair, String password,
      String verificationSession, String accountId, Integer deviceId, int nextPreKeyId, int nextSignedPreKeyId,
      int nextKyberPreKeyId, boolean readReceipts, long createdAt) {

    public boolean registered() {
      return accountId != null;
    }
  }

  private final Database db;

  public AccountTable(Database db) {
    this.db = db;
    db.migrate("account", SCHEMA_VERSION);
  }

  public Optional<Row> get() {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT server_url, number, registration_id, identity_key_pair, "
        + "password, verification_session, account_id, device_id, next_prekey_id, next_signed_prekey_id, "
        + "next_kyber_prekey_id, read_receipts, created_at FROM account WHERE id = 1", r -> new Row(r.getString(1),
        r.getString(2), r.getInt(3), r.getBytes(4), r.getString(5), r.getString(6), r.getString(7),
        (Integer) r.getObject(8), r.getInt(9), r.getInt(10), r.getInt(11), r.getBoolean(12), r.getLong(13))));
  }

  /** Starts over with a new pending registration (a new identity), replacing what was there. */
  public void replace(Row row) {
    db.run(c -> {
      Jdbc.update(c, "DELETE FROM account");
      Jdbc.update(c, "INSERT INTO account (id, server_url, number, registration_id, identity_key_pair, password, "
          + "verification_session, account_id, device_id, next_prekey_id, next_signed_prekey_id, "
          + "next_kyber_prekey_id, read_receipts, created_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          row.serverUrl(), row.number(), row.registrationId(), row.identityKeyPair(), row.password(),
          row.verificationSession(), row.accountId(), row.deviceId(), row.nextPreKeyId(), row.nextSignedPreKeyId(),
          row.nextKyberPreKeyId(), row.readReceipts(), row.createdAt());
    });
  }

  public void setRegistered(String accountId, int deviceId) {
    db.run(c -> Jdbc.update(c, "UPDATE account SET account_id = ?, device_id = ?, verification_session = NULL",
        accountId, deviceId));
  }

  public void setServerUrl(String url) {
    db.run(c -> Jdbc.update(c, "UPDATE account SET server_url = ?", url));
  }

  public void setReadReceipts(boolean enabled) {
    db.run(c -> Jdbc.update(c, "UPDATE account SET read_receipts = ?", enabled));
  }

  /** Reserves {@code count} consecutive ids of one key kind and returns the first. Ids wrap below 2^24. */
  public int reserveIds(KeyKind kind, int count) {
    return db.inTransaction(c -> {
      int first = Jdbc.one(c, "SELECT " + kind.column + " FROM account", r -> r.getInt(1)).orElseThrow();
      int next = first + count;
      if (next >= 0xFFFFFF) {
        first = 1;
        next = 1 + count;
      }
      Jdbc.update(c, "UPDATE account SET " + kind.column + " = ?", next);
      return first;
    });
  }

  /** The key kinds with an id counter. */
  public enum KeyKind {
    PRE_KEY("next_prekey_id"), SIGNED_PRE_KEY("next_signed_prekey_id"), KYBER_PRE_KEY("next_kyber_prekey_id");

    private final String column;

    KeyKind(String column) {
      this.column = column;
    }
  }
}
