package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.KeyStore;

/** Keys in {@code identity_keys}, {@code signed_prekeys} and {@code one_time_prekeys}. */
public final class JdbcKeyStore implements KeyStore {

  private static final String EC = "ec";
  private static final String PQ = "pq";
  private static final String PQ_LAST_RESORT = "pq_last_resort";

  private final Database database;
  private final boolean postgres;

  public JdbcKeyStore(Database database) {
    database.migrate("keys");
    this.database = database;
    this.postgres = database.dialect() == Database.Dialect.POSTGRES;
  }

  @Override
  public Optional<byte[]> identityKey(String accountId) {
    return database.inTransaction("loading identity key", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT identity_key FROM identity_keys WHERE account_id = ?")) {
        ps.setString(1, accountId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public void setIdentityKey(String accountId, byte[] identityKey) {
    database.inTransaction("storing identity key", c -> {
      try (PreparedStatement del = c.prepareStatement("DELETE FROM identity_keys WHERE account_id = ?");
          PreparedStatement ins =
              c.prepareStatement("INSERT INTO identity_keys (account_id, identity_key) VALUES (?, ?)")) {
        del.setString(1, accountId);
        del.executeUpdate();
        ins.setString(1, accountId);
        ins.setBytes(2, identityKey);
        ins.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void setSignedPreKey(DeviceAddress device, StoredKey key) {
    replaceSigned(device, EC, key);
  }

  @Override
  public void setPqLastResortKey(DeviceAddress device, StoredKey key) {
    replaceSigned(device, PQ_LAST_RESORT, key);
  }

  private void replaceSigned(DeviceAddress device, String kind, StoredKey key) {
    database.inTransaction("storing signed prekey", c -> {
      try (PreparedStatement del = c.prepareStatement(
              "DELETE FROM signed_prekeys WHERE account_id = ? AND device_id = ? AND kind = ?");
          PreparedStatement ins = c.prepareStatement(
              "INSERT INTO signed_prekeys (account_id, device_id, kind, key_id, public_key, signature)"
                  + " VALUES (?, ?, ?, ?, ?, ?)")) {
        bindDeviceAndKind(del, device, kind);
        del.executeUpdate();
        bindKeyRow(ins, device, kind, key);
        ins.executeUpdate();
      }
      return null;
    });
  }

  /** Parameters 1-3: account, device, kind. */
  private static void bindDeviceAndKind(PreparedStatement statement, DeviceAddress device, String kind)
      throws SQLException {
    statement.setString(1, device.accountId());
    statement.setInt(2, device.deviceId());
    statement.setString(3, kind);
  }

  /** Parameters 1-6 of an INSERT of a key row: account, device, kind, key id, public key, signature. */
  private static void bindKeyRow(PreparedStatement insert, DeviceAddress device, String kind, StoredKey key)
      throws SQLException {
    bindDeviceAndKind(insert, device, kind);
    insert.setInt(4, key.keyId());
    insert.setBytes(5, key.publicKey());
    insert.setBytes(6, key.signature());
  }

  @Override
  public void addOneTimeEcKeys(DeviceAddress device, List<StoredKey> keys) {
    addOneTime(device, EC, keys);
  }

  @Override
  public void addOneTimePqKeys(DeviceAddress device, List<StoredKey> keys) {
    addOneTime(device, PQ, keys);
  }

  private void addOneTime(DeviceAddress device, String kind, List<StoredKey> keys) {
    if (keys.isEmpty()) {
      return;
    }
    database.inTransaction("storing one-time prekeys", c -> {
      // An upload with a key id already stored replaces that key (the client regenerated it).
      try (PreparedStatement del = c.prepareStatement(
              "DELETE FROM one_time_prekeys WHERE account_id = ? AND device_id = ? AND kind = ? AND key_id = ?");
          PreparedStatement ins = c.prepareStatement(
              "INSERT INTO one_time_prekeys (account_id, device_id, kind, key_id, public_key, signature)"
                  + " VALUES (?, ?, ?, ?, ?, ?)")) {
        for (StoredKey key : keys) {
          bindDeviceAndKind(del, device, kind);
          del.setInt(4, key.keyId());
          del.addBatch();
          bindKeyRow(ins, device, kind, key);
          ins.addBatch();
        }
        del.executeBatch();
        ins.executeBatch();
      }
      return null;
    });
  }

  @Override
  public Counts count(DeviceAddress device) {
    return database.inTransaction("counting prekeys", c -> {
      int ec = 0;
      int pq = 0;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT kind, COUNT(*) FROM one_time_prekeys WHERE account_id = ? AND device_id = ? GROUP BY kind")) {
        ps.setString(1, device.accountId());
        ps.setInt(2, device.deviceId());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (EC.equals(rs.getString(1))) {
              ec = rs.getInt(2);
            } else if (PQ.equals(rs.getString(1))) {
              pq = rs.getInt(2);
            }
          }
        }
      }
      return new Counts(ec, pq);
    });
  }

  @Override
  public Optional<DeviceBundle> takeBundle(DeviceAddress device) {
    return database.inTransaction("taking prekey bundle", c -> {
      Optional<StoredKey> signed = signed(c, device, EC);
      if (signed.isEmpty()) {
        return Optional.empty();
      }
      Optional<StoredKey> ec = postgres ? takeOneTimeSkippingLocked(c, device, EC) : takeOneTime(c, device, EC);
      Optional<StoredKey> pq = postgres ? takeOneTimeSkippingLocked(c, device, PQ) : takeOneTime(c, device, PQ);
      boolean lastResort = pq.isEmpty();
      if (lastResort) {
        pq = signed(c, device, PQ_LAST_RESORT);
      }
      if (pq.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new DeviceBundle(signed.get(), ec, pq.get(), lastResort));
    });
  }

  private static Optional<StoredKey> signed(Connection c, DeviceAddress device, String kind) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT key_id, public_key, signature FROM signed_prekeys"
        + " WHERE account_id = ? AND device_id = ? AND kind = ?")) {
      bindDeviceAndKind(ps, device, kind);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new StoredKey(rs.getInt(1), rs.getBytes(2), rs.getBytes(3))) : Optional.empty();
      }
    }
  }

  /**
   * Picks the lowest key and deletes it; the delete's row count decides who got it, so two concurrent callers never
   * hand out the same one-time key (portable: no DELETE ... RETURNING).
   */
  private static Optional<StoredKey> takeOneTime(Connection c, DeviceAddress device, String kind) throws SQLException {
    for (int attempt = 0; attempt < 16; attempt++) {
      StoredKey candidate;
      try (PreparedStatement ps = c.prepareStatement("SELECT key_id, public_key, signature FROM one_time_prekeys"
          + " WHERE account_id = ? AND device_id = ? AND kind = ? ORDER BY key_id FETCH FIRST 1 ROWS ONLY")) {
        bindDeviceAndKind(ps, device, kind);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          candidate = new StoredKey(rs.getInt(1), rs.getBytes(2), rs.getBytes(3));
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM one_time_prekeys WHERE account_id = ? AND device_id = ? AND kind = ? AND key_id = ?")) {
        bindDeviceAndKind(ps, device, kind);
        ps.setInt(4, candidate.keyId());
        if (ps.executeUpdate() == 1) {
          return Optional.of(candidate);
        }
      }
    }
    throw new SQLException("could not take a one-time prekey after 16 attempts (heavy contention)");
  }

  /**
   * PostgreSQL: one statement that skips keys other transactions are taking. The portable loop above loses every
   * race while a transaction ahead of it holds the lowest key, and many concurrent fetches ran out of attempts (a
   * 500 in KeysTest on PostgreSQL). A key skipped because its taker then rolls back stays for the next fetch.
   */
  private static Optional<StoredKey> takeOneTimeSkippingLocked(Connection c, DeviceAddress device, String kind)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM one_time_prekeys WHERE account_id = ? AND device_id = ?"
        + " AND kind = ? AND key_id = (SELECT key_id FROM one_time_prekeys WHERE account_id = ? AND device_id = ?"
        + " AND kind = ? ORDER BY key_id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING key_id, public_key, signature")) {
      for (int i = 0; i < 2; i++) {
        ps.setString(1 + 3 * i, device.accountId());
        ps.setInt(2 + 3 * i, device.deviceId());
        ps.setString(3 + 3 * i, kind);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new StoredKey(rs.getInt(1), rs.getBytes(2), rs.getBytes(3)))
            : Optional.empty();
      }
    }
  }

  @Override
  public void deleteAll(String accountId, boolean includingIdentity) {
    database.inTransaction("deleting keys", c -> {
      for (String table : includingIdentity
          ? List.of("one_time_prekeys", "signed_prekeys", "identity_keys")
          : List.of("one_time_prekeys", "signed_prekeys")) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE account_id = ?")) {
          ps.setString(1, accountId);
          ps.executeUpdate();
        }
      }
      return null;
    });
  }

  @Override
  public void deleteDevice(DeviceAddress device) {
    database.inTransaction("deleting the keys of " + device, c -> {
      for (String table : List.of("one_time_prekeys", "signed_prekeys")) {
        try (PreparedStatement ps =
            c.prepareStatement("DELETE FROM " + table + " WHERE account_id = ? AND device_id = ?")) {
          ps.setString(1, device.accountId());
          ps.setInt(2, device.deviceId());
          ps.executeUpdate();
        }
      }
      return null;
    });
  }
}
