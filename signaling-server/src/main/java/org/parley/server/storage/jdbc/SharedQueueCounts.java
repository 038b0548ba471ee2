package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.parley.server.storage.DeviceAddress;

/**
 * The message queue's depths and byte totals on PostgreSQL, in {@code queue_depths}: several servers share the
 * queue, each inserting what its senders send and deleting what its devices acknowledge, so no one server's memory
 * can count what waits. Each batch adds its changes in its own transaction, rows locked in key order so that two
 * servers' batches cannot deadlock. Every send checks its devices' depths and the totals, so both are read from the
 * table at most once a second (a device's depth per device, a primary-key look-up) and this server's own batches are
 * added as they commit: what other servers stored shows within a second, this server's own changes at once.
 */
final class SharedQueueCounts {

  static final long TOTALS_TTL_MILLIS = 1000;

  /** Changes of one batch, per device, in key order. */
  static final class Deltas {
    private final Map<String, long[]> byDevice = new TreeMap<>();
    private final Map<String, DeviceAddress> devices = new TreeMap<>();

    void add(DeviceAddress device, long messages, long bytes) {
      String key = device.accountId() + '\n' + device.deviceId();
      devices.putIfAbsent(key, device);
      long[] d = byDevice.computeIfAbsent(key, k -> new long[2]);
      d[0] += messages;
      d[1] += bytes;
    }

    boolean isEmpty() {
      return byDevice.isEmpty();
    }
  }

  private record Totals(long messages, long bytes, long readAt) {}

  private record CachedDepth(long messages, long readAt) {}

  static final long DEPTH_TTL_MILLIS = 1000;
  private static final int MAX_CACHED_DEPTHS = 100_000;
  private final Map<DeviceAddress, CachedDepth> depths = new ConcurrentHashMap<>();

  private final DataSource dataSource;
  private final LongSupplier clock;
  private volatile Totals totals;

  SharedQueueCounts(DataSource dataSource, LongSupplier monotonicMillis) {
    this.dataSource = dataSource;
    this.clock = monotonicMillis;
  }

  /** Applies a batch's changes inside its transaction {@code c}. */
  void apply(Connection c, Deltas deltas) throws SQLException {
    if (deltas.isEmpty()) {
      return;
    }
    int n = deltas.byDevice.size();
    Object[] accounts = new Object[n];
    Object[] deviceIds = new Object[n];
    Object[] messages = new Object[n];
    Object[] bytes = new Object[n];
    int i = 0;
    for (Map.Entry<String, long[]> e : deltas.byDevice.entrySet()) {
      DeviceAddress device = deltas.devices.get(e.getKey());
      accounts[i] = device.accountId();
      deviceIds[i] = device.deviceId();
      messages[i] = e.getValue()[0];
      bytes[i] = e.getValue()[1];
      i++;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO queue_depths AS q (account_id, device_id, messages,"
        + " bytes) SELECT d.account_id, d.device_id, d.messages, d.bytes"
        + " FROM unnest(?::varchar[], ?::integer[], ?::bigint[], ?::bigint[]) WITH ORDINALITY"
        + " AS d(account_id, device_id, messages, bytes, n) ORDER BY d.n"
        + " ON CONFLICT (account_id, device_id) DO UPDATE"
        + " SET messages = q.messages + EXCLUDED.messages, bytes = q.bytes + EXCLUDED.bytes")) {
      ps.setArray(1, c.createArrayOf("varchar", accounts));
      ps.setArray(2, c.createArrayOf("integer", deviceIds));
      ps.setArray(3, c.createArrayOf("bigint", messages));
      ps.setArray(4, c.createArrayOf("bigint", bytes));
      ps.executeUpdate();
    }
  }

  long depth(DeviceAddress device) {
    long now = clock.getAsLong();
    CachedDepth cached = depths.get(device);
    if (cached != null && now - cached.readAt() < DEPTH_TTL_MILLIS) {
      return cached.messages();
    }
    if (depths.size() >= MAX_CACHED_DEPTHS) {
      depths.clear();
    }
    long read = readDepth(device);
    depths.put(device, new CachedDepth(read, now));
    return read;
  }

  /** After this server's batch committed: its own changes count at once, not a second later. */
  void committed(Deltas deltas) {
    totals = null;
    deltas.devices.forEach((key, device) -> {
      long change = deltas.byDevice.get(key)[0];
      depths.computeIfPresent(device, (d, c) -> new CachedDepth(Math.max(0, c.messages() + change), c.readAt()));
    });
  }

  private long readDepth(DeviceAddress device) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT messages FROM queue_depths WHERE account_id = ? AND device_id = ?")) {
      ps.setString(1, device.accountId());
      ps.setInt(2, device.deviceId());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new JdbcException("reading the queue depth of " + device, e);
    }
  }

  long totalMessages() {
    return totals().messages();
  }

  long totalBytes() {
    return totals().bytes();
  }

  private Totals totals() {
    Totals seen = totals;
    long now = clock.getAsLong();
    if (seen != null && now - seen.readAt() < TOTALS_TTL_MILLIS) {
      return seen;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT COALESCE(SUM(messages), 0), COALESCE(SUM(bytes), 0) FROM queue_depths");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      Totals read = new Totals(rs.getLong(1), rs.getLong(2), now);
      totals = read;
      return read;
    } catch (SQLException e) {
      throw new JdbcException("reading the queue's totals", e);
    }
  }
}
