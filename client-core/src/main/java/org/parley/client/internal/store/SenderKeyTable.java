package org.parley.client.internal.store;

import java.util.UUID;
import org.parley.client.internal.db.Database;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.groups.state.SenderKeyRecord;
import org.signal.libsignal.protocol.groups.state.SenderKeyStore;

/** Sender keys for group messaging (table {@code sender_key}); groups arrive in a later issue. */
public final class SenderKeyTable implements SenderKeyStore {

  /** The version of this store's newest migration (db/client/sender_key). */
  static final String SCHEMA_VERSION = "1";

  private final Database db;

  public SenderKeyTable(Database db) {
    this.db = db;
    db.migrate("sender_key", SCHEMA_VERSION);
  }

  @Override
  public void storeSenderKey(SignalProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
    db.run(c -> Jdbc.update(c, "MERGE INTO sender_key (account_id, device_id, distribution_id, record) "
        + "KEY (account_id, device_id, distribution_id) VALUES (?, ?, ?, ?)", sender.getName(), sender.getDeviceId(),
        distributionId, record.serialize()));
  }

  @Override
  public SenderKeyRecord loadSenderKey(SignalProtocolAddress sender, UUID distributionId) {
    byte[] record = db.inTransaction(c -> Jdbc.one(c, "SELECT record FROM sender_key WHERE account_id = ? AND "
        + "device_id = ? AND distribution_id = ?", r -> r.getBytes(1), sender.getName(), sender.getDeviceId(),
        distributionId).orElse(null));
    if (record == null) {
      return null;
    }
    try {
      return new SenderKeyRecord(record);
    } catch (InvalidMessageException e) {
      throw new IllegalStateException("sender key is corrupt", e);
    }
  }
}
