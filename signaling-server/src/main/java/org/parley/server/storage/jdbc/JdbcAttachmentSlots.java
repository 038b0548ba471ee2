package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.parley.server.storage.AttachmentSlots;

/** Attachment slots in {@code attachments}; quota checks lock the account's row in {@code attachment_owners}. */
public final class JdbcAttachmentSlots implements AttachmentSlots {

  /** SQLSTATE of a unique-key violation, in H2 and PostgreSQL alike. */
  private static final String DUPLICATE_KEY = "23505";
  private static final String COLUMNS = "id, account_id, size, created_at, completed_at, expires_at";

  private final Database database;
  private final DataSource dataSource;

  public JdbcAttachmentSlots(Database database) {
    database.migrate("attachments");
    this.database = database;
    this.dataSource = database.dataSource();
  }

  @Override
  public Reservation reserve(Slot slot, Quota quota, long now) {
    ensureOwnerRow(slot.accountId());
    return database.inTransaction("reserving an attachment", c -> {
      try (PreparedStatement lock =
          c.prepareStatement("SELECT account_id FROM attachment_owners WHERE account_id = ? FOR UPDATE")) {
        lock.setString(1, slot.accountId());
        lock.executeQuery().close();
      }
      Usage usage = usage(c, slot.accountId(), now);
      if (usage.pending() + 1 > quota.maxPending()) {
        return Reservation.TOO_MANY_PENDING;
      }
      if (usage.count() + 1 > quota.maxCount()) {
        return Reservation.TOO_MANY_ATTACHMENTS;
      }
      if (usage.bytes() + slot.size() > quota.maxBytes()) {
        return Reservation.TOO_MANY_BYTES;
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO attachments (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, slot.id());
        ps.setString(2, slot.accountId());
        ps.setLong(3, slot.size());
        ps.setLong(4, slot.createdAt());
        if (slot.completedAt().isPresent()) {
          ps.setLong(5, slot.completedAt().getAsLong());
        } else {
          ps.setNull(5, Types.BIGINT);
        }
        ps.setLong(6, slot.expiresAt());
        ps.executeUpdate();
      }
      return Reservation.RESERVED;
    });
  }

  /** Its own transaction: in PostgreSQL a failed statement would spoil the one it ran in. */
  private void ensureOwnerRow(String accountId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO attachment_owners (account_id) VALUES (?)")) {
      c.setAutoCommit(true);
      ps.setString(1, accountId);
      ps.executeUpdate();
    } catch (SQLException e) {
      if (!DUPLICATE_KEY.equals(e.getSQLState())) {
        throw new JdbcException("recording an attachment owner", e);
      }
    }
  }

  @Override
  public Optional<Slot> find(String id) {
    return database.inTransaction("loading an attachment", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM attachments WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(slot(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public boolean complete(String id, long completedAt, long expiresAt) {
    return database.inTransaction("completing an attachment", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE attachments SET completed_at = ?, expires_at = ? WHERE id = ? AND completed_at IS NULL"
          + " AND expires_at > ?")) {
        ps.setLong(1, completedAt);
        ps.setLong(2, expiresAt);
        ps.setString(3, id);
        ps.setLong(4, completedAt);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public List<Slot> expired(long now, int limit) {
    return database.inTransaction("listing expired attachments", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
          + " FROM attachments WHERE expires_at <= ? ORDER BY expires_at LIMIT ?")) {
        ps.setLong(1, now);
        ps.setInt(2, limit);
        List<Slot> slots = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            slots.add(slot(rs));
          }
        }
        return slots;
      }
    });
  }

  @Override
  public boolean delete(String id) {
    return database.inTransaction("deleting an attachment", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM attachments WHERE id = ?")) {
        ps.setString(1, id);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Usage usage(String accountId, long now) {
    return database.inTransaction("loading attachment usage", c -> usage(c, accountId, now));
  }

  private static Usage usage(Connection c, String accountId, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COUNT(*) - COUNT(completed_at),"
        + " COALESCE(SUM(size), 0) FROM attachments WHERE account_id = ? AND expires_at > ?")) {
      ps.setString(1, accountId);
      ps.setLong(2, now);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Usage(rs.getInt(2), rs.getInt(1), rs.getLong(3));
      }
    }
  }

  @Override
  public Totals completedTotals(long now) {
    return database.inTransaction("counting attachments", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM attachments"
          + " WHERE completed_at IS NOT NULL AND expires_at > ?")) {
        ps.setLong(1, now);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new Totals(rs.getLong(1), rs.getLong(2));
        }
      }
    });
  }

  private static Slot slot(ResultSet rs) throws SQLException {
    long completedAt = rs.getLong(5);
    OptionalLong completed = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(completedAt);
    return new Slot(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), completed, rs.getLong(6));
  }
}
