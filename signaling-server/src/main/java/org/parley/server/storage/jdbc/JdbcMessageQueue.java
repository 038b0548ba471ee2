package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.MessageQueue;
import org.parley.server.storage.QueuedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message queues in the {@code messages} table, written group-commit style: one writer thread gathers every insert
 * and delete submitted while the previous transaction was committing and applies them in one transaction. A sender's
 * future completes only after the commit that contains its rows, so "stored" means durable, while the cost of a
 * commit is shared by everyone who arrived during the last one.
 */
public final class JdbcMessageQueue implements MessageQueue {

  private static final Logger log = LoggerFactory.getLogger(JdbcMessageQueue.class);
  private static final int MAX_BATCH = 4096;

  private final DataSource dataSource;
  private final Clock clock;
  private final BlockingQueue<Op> ops = new LinkedBlockingQueue<>();
  private final IdSource ids;
  private final boolean postgres;
  /** On PostgreSQL the counts several servers share; null on H2, where this server's own counters are exact. */
  private final SharedQueueCounts shared;
  private final Map<DeviceAddress, AtomicLong> depths = new ConcurrentHashMap<>();
  private final AtomicLong totalDepth = new AtomicLong();
  /** Envelope bytes of the waiting messages: counted at start and after bulk deletes, kept up to date in between. */
  private final AtomicLong storedBytes = new AtomicLong();
  private final Thread writer;
  private volatile boolean running = true;

  private sealed interface Op permits Insert, Delete, DeleteByGuid, Sync, DeleteAccount, Purge {
    CompletableFuture<?> done();
  }

  private record Insert(List<QueuedMessage> messages, CompletableFuture<Void> done) implements Op {}

  private record Delete(DeviceAddress device, long id, CompletableFuture<Boolean> done) implements Op {}

  private record DeleteByGuid(DeviceAddress device, String guid, CompletableFuture<Boolean> done) implements Op {}

  private record Sync(CompletableFuture<Void> done) implements Op {}

  private record DeleteAccount(String accountId, CompletableFuture<Void> done) implements Op {}

  private record Purge(long nowMillis, CompletableFuture<Integer> done) implements Op {}

  /** On H2 or PostgreSQL: the SQL is the same, message ids are not (see {@link IdBlocks}). */
  public JdbcMessageQueue(Database database, Clock clock) {
    database.migrate("messages");
    this.dataSource = database.dataSource();
    this.clock = clock;
    this.postgres = database.dialect() == Database.Dialect.POSTGRES;
    this.shared = postgres ? new SharedQueueCounts(dataSource, () -> System.nanoTime() / 1_000_000) : null;
    AtomicLong lastId = new AtomicLong(maxStoredId());
    this.ids = database.dialect() == Database.Dialect.POSTGRES ? new IdBlocks() : lastId::incrementAndGet;
    recountDepths();
    this.writer = new Thread(this::writeLoop, "message-queue-writer");
    writer.setDaemon(true);
    writer.start();
  }

  private long maxStoredId() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(id) FROM messages")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new JdbcException("reading the last message id", e);
    }
  }

  private void recountDepths() {
    Map<DeviceAddress, AtomicLong> counted = new ConcurrentHashMap<>();
    long total = 0;
    long bytes = 0;
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT account_id, device_id, COUNT(*), SUM(OCTET_LENGTH(envelope))"
            + " FROM messages GROUP BY account_id, device_id")) {
      while (rs.next()) {
        counted.put(new DeviceAddress(rs.getString(1), rs.getInt(2)), new AtomicLong(rs.getLong(3)));
        total += rs.getLong(3);
        bytes += rs.getLong(4);
      }
    } catch (SQLException e) {
      throw new JdbcException("counting queued messages", e);
    }
    depths.clear();
    depths.putAll(counted);
    totalDepth.set(total);
    storedBytes.set(bytes);
  }

  @Override
  public long nextId() {
    return ids.next();
  }

  @FunctionalInterface
  private interface IdSource {
    long next();
  }

  /**
   * Ids on PostgreSQL, which several servers may share: a block of {@link #BLOCK} ids at a time from the
   * {@code message_id_blocks} sequence, so ids never collide across servers and cost one round trip per block. One
   * server's ids keep rising; ids of different servers interleave by block, not by time (ADR 0150).
   */
  private final class IdBlocks implements IdSource {
    static final long BLOCK = 1024;
    private long next;
    private long end;

    @Override
    public synchronized long next() {
      if (next == end) {
        long block = takeBlock();
        next = block * BLOCK;
        end = next + BLOCK;
      }
      return next++;
    }

    private long takeBlock() {
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT nextval('message_id_blocks')")) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        throw new JdbcException("taking a block of message ids", e);
      }
    }
  }

  @Override
  public CompletableFuture<Void> insert(List<QueuedMessage> messages) {
    return submit(new Insert(List.copyOf(messages), new CompletableFuture<>())).done();
  }

  @Override
  public CompletableFuture<Boolean> delete(DeviceAddress device, long id) {
    return submit(new Delete(device, id, new CompletableFuture<>())).done();
  }

  @Override
  public CompletableFuture<Boolean> deleteByGuid(DeviceAddress device, String guid) {
    return submit(new DeleteByGuid(device, guid, new CompletableFuture<>())).done();
  }

  @Override
  public CompletableFuture<Void> sync() {
    return submit(new Sync(new CompletableFuture<>())).done();
  }

  @Override
  public void deleteAll(String accountId) {
    submit(new DeleteAccount(accountId, new CompletableFuture<>())).done().join();
  }

  @Override
  public int purgeExpired(long nowMillis) {
    return submit(new Purge(nowMillis, new CompletableFuture<>())).done().join();
  }

  private <T extends Op> T submit(T op) {
    if (!running) {
      failOp(op, new IllegalStateException("message queue is closed"));
      return op;
    }
    ops.add(op);
    return op;
  }

  @Override
  public List<QueuedMessage> fetch(DeviceAddress device, long afterId, int limit) {
    List<QueuedMessage> result = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id, guid, accepted_at, expires_at, envelope FROM messages"
            + " WHERE account_id = ? AND device_id = ? AND id > ? AND expires_at > ? ORDER BY id"
            + " FETCH FIRST " + limit + " ROWS ONLY")) {
      ps.setString(1, device.accountId());
      ps.setInt(2, device.deviceId());
      ps.setLong(3, afterId);
      ps.setLong(4, clock.millis());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(new QueuedMessage(rs.getLong(1), device, rs.getString(2), rs.getLong(3), rs.getLong(4),
              rs.getBytes(5)));
        }
      }
    } catch (SQLException e) {
      throw new JdbcException("fetching messages for " + device, e);
    }
    return result;
  }

  @Override
  public long depth(DeviceAddress device) {
    if (shared != null) {
      return shared.depth(device);
    }
    AtomicLong depth = depths.get(device);
    return depth == null ? 0 : depth.get();
  }

  @Override
  public long totalDepth() {
    return shared != null ? shared.totalMessages() : totalDepth.get();
  }

  @Override
  public long storedBytes() {
    return shared != null ? shared.totalBytes() : storedBytes.get();
  }

  private void writeLoop() {
    List<Op> batch = new ArrayList<>(MAX_BATCH);
    Connection connection = null;
    while (running || !ops.isEmpty()) {
      try {
        Op first = ops.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        ops.drainTo(batch, MAX_BATCH - 1);
        if (connection == null || connection.isClosed()) {
          connection = dataSource.getConnection();
          connection.setAutoCommit(false);
        }
        apply(connection, batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (SQLException | RuntimeException e) {
        log.error("message queue batch of {} operations failed; the callers see the error", batch.size(), e);
        batch.forEach(op -> failOp(op, e));
        connection = rollbackAndDrop(connection);
      } finally {
        batch.clear();
      }
    }
    ops.forEach(op -> failOp(op, new IllegalStateException("message queue is closed")));
    rollbackAndDrop(connection);
  }

  private static Connection rollbackAndDrop(Connection connection) {
    if (connection != null) {
      try {
        connection.rollback();
        connection.close();
      } catch (SQLException ignored) {
        // the connection is broken; the pool replaces it
      }
    }
    return null;
  }

  /** One transaction for the whole batch; futures complete only after the commit. */
  private void apply(Connection c, List<Op> batch) throws SQLException {
    List<Insert> inserts = new ArrayList<>();
    List<Op> deletes = new ArrayList<>();
    List<Op> other = new ArrayList<>();
    for (Op op : batch) {
      if (op instanceof Insert insert) {
        inserts.add(insert);
      } else if (op instanceof Delete || op instanceof DeleteByGuid) {
        deletes.add(op);
      } else {
        other.add(op);
      }
    }
    if (!inserts.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO messages (id, account_id, device_id, guid, accepted_at, expires_at, envelope)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        for (Insert insert : inserts) {
          for (QueuedMessage m : insert.messages()) {
            ps.setLong(1, m.id());
            ps.setString(2, m.destination().accountId());
            ps.setInt(3, m.destination().deviceId());
            ps.setString(4, m.guid());
            ps.setLong(5, m.acceptedAt());
            ps.setLong(6, m.expiresAt());
            ps.setBytes(7, m.envelope());
            ps.addBatch();
          }
        }
        ps.executeBatch();
      }
    }
    long[] freed = new long[deletes.size()];
    if (postgres) {
      deleteAllAtOnce(c, deletes, freed);
    } else {
      deleteAll(c, deletes, freed);
    }
    SharedQueueCounts.Deltas deltas = new SharedQueueCounts.Deltas();
    List<Runnable> afterCommit = new ArrayList<>();
    for (Op op : other) {
      afterCommit.add(applyOther(c, op, deltas));
    }
    if (shared != null) {
      for (Insert insert : inserts) {
        for (QueuedMessage m : insert.messages()) {
          deltas.add(m.destination(), 1, m.envelope().length);
        }
      }
      for (int i = 0; i < deletes.size(); i++) {
        if (freed[i] >= 0) {
          Op op = deletes.get(i);
          deltas.add(op instanceof Delete d ? d.device() : ((DeleteByGuid) op).device(), -1, -freed[i]);
        }
      }
      shared.apply(c, deltas);
    }
    c.commit();
    if (shared != null) {
      shared.committed(deltas);
    }

    for (Insert insert : inserts) {
      for (QueuedMessage m : insert.messages()) {
        depths.computeIfAbsent(m.destination(), k -> new AtomicLong()).incrementAndGet();
        totalDepth.incrementAndGet();
        storedBytes.addAndGet(m.envelope().length);
      }
    }
    for (int i = 0; i < deletes.size(); i++) {
      Op op = deletes.get(i);
      boolean found = freed[i] >= 0;
      DeviceAddress device = op instanceof Delete d ? d.device() : ((DeleteByGuid) op).device();
      if (found) {
        storedBytes.addAndGet(-freed[i]);
        AtomicLong depth = depths.get(device);
        if (depth != null) {
          depth.decrementAndGet();
        }
        totalDepth.decrementAndGet();
      }
      if (op instanceof Delete d) {
        d.done().complete(found);
      } else {
        ((DeleteByGuid) op).done().complete(found);
      }
    }
    afterCommit.forEach(Runnable::run);
    inserts.forEach(insert -> insert.done().complete(null));
  }

  /**
   * Deletes inside the batch's transaction; {@code freed[i]} becomes the envelope bytes the i-th delete removed, or
   * -1 when there was no such message. The size is read first so the byte budget stays exact without a recount.
   */
  private static void deleteAll(Connection c, List<Op> deletes, long[] freed) throws SQLException {
    if (deletes.isEmpty()) {
      return;
    }
    try (PreparedStatement sizeById = c.prepareStatement(
            "SELECT OCTET_LENGTH(envelope) FROM messages WHERE id = ? AND account_id = ? AND device_id = ?");
        PreparedStatement byId = c.prepareStatement(
            "DELETE FROM messages WHERE id = ? AND account_id = ? AND device_id = ?");
        PreparedStatement sizeByGuid = c.prepareStatement(
            "SELECT id, OCTET_LENGTH(envelope) FROM messages WHERE account_id = ? AND device_id = ? AND guid = ?");
        PreparedStatement byGuid = c.prepareStatement("DELETE FROM messages WHERE id = ?")) {
      for (int i = 0; i < deletes.size(); i++) {
        Op op = deletes.get(i);
        freed[i] = -1;
        if (op instanceof Delete d) {
          sizeById.setLong(1, d.id());
          sizeById.setString(2, d.device().accountId());
          sizeById.setInt(3, d.device().deviceId());
          try (ResultSet rs = sizeById.executeQuery()) {
            if (rs.next()) {
              // Deleted at once, not batched: a second delete of the same id in this batch must find nothing.
              byId.setLong(1, d.id());
              byId.setString(2, d.device().accountId());
              byId.setInt(3, d.device().deviceId());
              if (byId.executeUpdate() > 0) {
                freed[i] = rs.getLong(1);
              }
            }
          }
        } else if (op instanceof DeleteByGuid g) {
          sizeByGuid.setString(1, g.device().accountId());
          sizeByGuid.setInt(2, g.device().deviceId());
          sizeByGuid.setString(3, g.guid());
          try (ResultSet rs = sizeByGuid.executeQuery()) {
            if (rs.next()) {
              byGuid.setLong(1, rs.getLong(1));
              if (byGuid.executeUpdate() > 0) {
                freed[i] = rs.getLong(2);
              }
            }
          }
        }
      }
    }
  }

  /**
   * {@link #deleteAll} in two statements for the whole batch (by id, then by GUID) instead of two per message: on
   * PostgreSQL each statement is a round trip to another process, and acknowledgements come as fast as messages.
   * A message deleted twice in one batch is reported found once, as there.
   */
  private static void deleteAllAtOnce(Connection c, List<Op> deletes, long[] freed) throws SQLException {
    Arrays.fill(freed, -1);
    List<Integer> byId = new ArrayList<>();
    List<Integer> byGuid = new ArrayList<>();
    for (int i = 0; i < deletes.size(); i++) {
      (deletes.get(i) instanceof Delete ? byId : byGuid).add(i);
    }
    if (!byId.isEmpty()) {
      Object[] ids = new Object[byId.size()];
      Object[] accounts = new Object[byId.size()];
      Object[] devices = new Object[byId.size()];
      for (int k = 0; k < byId.size(); k++) {
        Delete d = (Delete) deletes.get(byId.get(k));
        ids[k] = d.id();
        accounts[k] = d.device().accountId();
        devices[k] = d.device().deviceId();
      }
      Map<Long, Long> sizes = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM messages m"
          + " USING unnest(?::bigint[], ?::varchar[], ?::integer[]) AS d(id, account_id, device_id)"
          + " WHERE m.id = d.id AND m.account_id = d.account_id AND m.device_id = d.device_id"
          + " RETURNING m.id, OCTET_LENGTH(m.envelope)")) {
        ps.setArray(1, c.createArrayOf("bigint", ids));
        ps.setArray(2, c.createArrayOf("varchar", accounts));
        ps.setArray(3, c.createArrayOf("integer", devices));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sizes.put(rs.getLong(1), rs.getLong(2));
          }
        }
      }
      for (int i : byId) {
        Long size = sizes.remove(((Delete) deletes.get(i)).id());
        freed[i] = size == null ? -1 : size;
      }
    }
    if (!byGuid.isEmpty()) {
      Object[] accounts = new Object[byGuid.size()];
      Object[] devices = new Object[byGuid.size()];
      Object[] guids = new Object[byGuid.size()];
      for (int k = 0; k < byGuid.size(); k++) {
        DeleteByGuid g = (DeleteByGuid) deletes.get(byGuid.get(k));
        accounts[k] = g.device().accountId();
        devices[k] = g.device().deviceId();
        guids[k] = g.guid();
      }
      Map<String, Long> sizes = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM messages m"
          + " USING unnest(?::varchar[], ?::integer[], ?::varchar[]) AS g(account_id, device_id, guid)"
          + " WHERE m.account_id = g.account_id AND m.device_id = g.device_id AND m.guid = g.guid"
          + " RETURNING m.account_id, m.device_id, m.guid, OCTET_LENGTH(m.envelope)")) {
        ps.setArray(1, c.createArrayOf("varchar", accounts));
        ps.setArray(2, c.createArrayOf("integer", devices));
        ps.setArray(3, c.createArrayOf("varchar", guids));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sizes.merge(guidKey(rs.getString(1), rs.getInt(2), rs.getString(3)), rs.getLong(4), Long::sum);
          }
        }
      }
      for (int i : byGuid) {
        DeleteByGuid g = (DeleteByGuid) deletes.get(i);
        Long size = sizes.remove(guidKey(g.device().accountId(), g.device().deviceId(), g.guid()));
        freed[i] = size == null ? -1 : size;
      }
    }
  }

  private static String guidKey(String accountId, int deviceId, String guid) {
    return accountId + '\n' + deviceId + '\n' + guid;
  }

  /** Applies a rare operation inside the batch's transaction; returns what to do once it is committed. */
  private Runnable applyOther(Connection c, Op op, SharedQueueCounts.Deltas deltas) throws SQLException {
    if (op instanceof Sync sync) {
      return () -> sync.done().complete(null);
    }
    if (op instanceof DeleteAccount del) {
      if (shared != null) {
        deleteCounted(c, "account_id = ?", ps -> ps.setString(1, del.accountId()), deltas);
        return () -> del.done().complete(null);
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM messages WHERE account_id = ?")) {
        ps.setString(1, del.accountId());
        ps.executeUpdate();
      }
      return () -> {
        recountDepths();
        del.done().complete(null);
      };
    }
    if (op instanceof Purge purge) {
      if (shared != null) {
        int purged = deleteCounted(c, "expires_at <= ?", ps -> ps.setLong(1, purge.nowMillis()), deltas);
        return () -> purge.done().complete(purged);
      }
      int purged;
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM messages WHERE expires_at <= ?")) {
        ps.setLong(1, purge.nowMillis());
        purged = ps.executeUpdate();
      }
      return () -> {
        if (purged > 0) {
          recountDepths();
        }
        purge.done().complete(purged);
      };
    }
    throw new IllegalStateException("unexpected operation " + op);
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Deletes the messages matching {@code where}, adding what they took to {@code deltas}; returns how many. */
  private static int deleteCounted(Connection c, String where, Binder binder, SharedQueueCounts.Deltas deltas)
      throws SQLException {
    int deleted = 0;
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM messages WHERE " + where
        + " RETURNING account_id, device_id, OCTET_LENGTH(envelope)")) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          deltas.add(new DeviceAddress(rs.getString(1), rs.getInt(2)), -1, -rs.getLong(3));
          deleted++;
        }
      }
    }
    return deleted;
  }

  private static void failOp(Op op, Throwable error) {
    op.done().completeExceptionally(error);
  }

  /** Stops taking work, finishes every operation already submitted, then returns. */
  @Override
  public void close() {
    running = false;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
