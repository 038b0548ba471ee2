package org.parley.client.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.client.api.location.Location;
import org.parley.client.internal.db.Database;

/** Places shared in conversations (table {@code message_location}): one per message row that carries one. */
public final class MessageLocationTable {
  static final String SCHEMA_VERSION = "1";

  private final Database db;

  public MessageLocationTable(Database db) {
    this.db = db;
    db.migrate("message_location", SCHEMA_VERSION);
  }

  public void put(long messageId, Location location) {
    db.inTransaction(c -> Jdbc.update(c, "MERGE INTO message_location (message_id, latitude, longitude, "
        + "accuracy_meters, name, address) KEY (message_id) VALUES (?, ?, ?, ?, ?, ?)", messageId,
        location.latitude(), location.longitude(), location.accuracyMeters().orElse(null),
        location.name().orElse(null), location.address().orElse(null)));
  }

  /** The places among {@code messageIds}, by message id. */
  public Map<Long, Location> byMessages(List<Long> messageIds) {
    Map<Long, Location> result = new HashMap<>();
    if (messageIds.isEmpty()) {
      return result;
    }
    String in = "?" + ", ?".repeat(messageIds.size() - 1);
    db.inTransaction(c -> Jdbc.list(c, "SELECT message_id, latitude, longitude, accuracy_meters, name, address "
        + "FROM message_location WHERE message_id IN (" + in + ")", r -> {
          result.put(r.getLong(1), map(r));
          return null;
        }, messageIds.toArray()));
    return result;
  }

  private static Location map(ResultSet r) throws SQLException {
    return new Location(r.getDouble(2), r.getDouble(3), Optional.ofNullable((Double) r.getObject(4)),
        Optional.ofNullable(r.getString(5)), Optional.ofNullable(r.getString(6)));
  }
}
