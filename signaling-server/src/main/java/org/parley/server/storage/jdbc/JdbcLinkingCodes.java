package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.parley.server.storage.LinkingCodeStore;

/** {@link LinkingCodeStore} in {@code linking_codes}. */
public final class JdbcLinkingCodes implements LinkingCodeStore {

  private final DataSource dataSource;

  public JdbcLinkingCodes(Database database) {
    database.migrate("linking");
    this.dataSource = database.dataSource();
  }

  @Override
  public void put(String codeHash, Entry entry) {
    update("storing a linking code", "INSERT INTO linking_codes (code_hash, account_id, expires_at) VALUES (?, ?, ?)",
        codeHash, entry.accountId(), entry.expiresAt());
  }

  @Override
  public Optional<Entry> find(String codeHash) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement query = c.prepareStatement(
            "SELECT account_id, expires_at FROM linking_codes WHERE code_hash = ?")) {
      query.setString(1, codeHash);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(new Entry(rows.getString(1), rows.getLong(2))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new JdbcException("reading a linking code", e);
    }
  }

  @Override
  public boolean consume(String codeHash, long now) {
    return update("using a linking code", "DELETE FROM linking_codes WHERE code_hash = ? AND expires_at > ?",
        codeHash, now) > 0;
  }

  @Override
  public void delete(String codeHash) {
    update("deleting a linking code", "DELETE FROM linking_codes WHERE code_hash = ?", codeHash);
  }

  @Override
  public void deleteExpired(long now) {
    update("deleting expired linking codes", "DELETE FROM linking_codes WHERE expires_at <= ?", now);
  }

  private int update(String what, String sql, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(what, e);
    }
  }
}
