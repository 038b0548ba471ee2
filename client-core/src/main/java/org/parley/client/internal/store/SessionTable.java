package org.parley.client.internal.store;

import java.util.ArrayList;
import java.util.List;
import org.parley.client.internal.db.Database;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.state.SessionRecord;
import org.signal.libsignal.protocol.state.SessionStore;

/** Signal sessions per (account id, device id) (table {@code session}). */
public final class SessionTable implements SessionStore {

  /** The version of this store's newest migration (db/client/session). */
  static final String SCHEMA_VERSION = "1";

  private final Database db;

  public SessionTable(Database db) {
    this.db = db;
    db.migrate("session", SCHEMA_VERSION);
  }

  @Override
  public SessionRecord loadSession(SignalProtocolAddress address) {
    byte[] record = find(address);
    return record == null ? new SessionRecord() : parse(record);
  }

  private byte[] find(SignalProtocolAddress address) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT record FROM session WHERE account_id = ? AND device_id = ?",
        r -> r.getBytes(1), address.getName(), address.getDeviceId()).orElse(null));
  }

  @Override
  public List<SessionRecord> loadExistingSessions(List<SignalProtocolAddress> addresses) throws NoSessionException {
    List<SessionRecord> records = new ArrayList<>();
    for (SignalProtocolAddress address : addresses) {
      byte[] record = find(address);
      if (record == null) {
        throw new NoSessionException("No session for " + address);
      }
      records.add(parse(record));
    }
    return records;
  }

  /** Device ids other than 1 with a session, as libsignal defines it. */
  @Override
  public List<Integer> getSubDeviceSessions(String name) {
    return db.inTransaction(c -> Jdbc.list(c,
        "SELECT device_id FROM session WHERE account_id = ? AND device_id <> 1 ORDER BY device_id",
        r -> r.getInt(1), name));
  }

  /** Every device of {@code name} we have a session with, including device 1. */
  public List<Integer> devicesWithSessions(String name) {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT device_id FROM session WHERE account_id = ? ORDER BY device_id",
        r -> r.getInt(1), name));
  }

  @Override
  public void storeSession(SignalProtocolAddress address, SessionRecord record) {
    db.run(c -> Jdbc.update(c, "MERGE INTO session (account_id, device_id, record) KEY (account_id, device_id) "
        + "VALUES (?, ?, ?)", address.getName(), address.getDeviceId(), record.serialize()));
  }

  @Override
  public boolean containsSession(SignalProtocolAddress address) {
    byte[] record = find(address);
    return record != null && parse(record).hasSenderChain();
  }

  @Override
  public void deleteSession(SignalProtocolAddress address) {
    db.run(c -> Jdbc.update(c, "DELETE FROM session WHERE account_id = ? AND device_id = ?", address.getName(),
        address.getDeviceId()));
  }

  @Override
  public void deleteAllSessions(String name) {
    db.run(c -> Jdbc.update(c, "DELETE FROM session WHERE account_id = ?", name));
  }

  private static SessionRecord parse(byte[] bytes) {
    try {
      return new SessionRecord(bytes);
    } catch (InvalidMessageException e) {
      throw new IllegalStateException("session record is corrupt", e);
    }
  }
}
