package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * One statement on a connection of its own, for the small stores whose every call is a single row read or a single
 * conditional write; a failure becomes a {@link JdbcException} that says what was being done.
 */
final class Statements {

  /** Turns the current row into a value. */
  @FunctionalInterface
  interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  private Statements() {}

  /** Runs an INSERT, UPDATE or DELETE and returns how many rows it changed. */
  static int update(DataSource dataSource, String what, String sql, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
      bind(statement, args);
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(what, e);
    }
  }

  /** Runs a SELECT that matches at most one row (a key look-up) and reads that row. */
  static <T> Optional<T> findOne(DataSource dataSource, String what, String sql, RowReader<T> reader,
      Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(sql)) {
      bind(query, args);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(reader.read(rows)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new JdbcException(what, e);
    }
  }

  private static void bind(PreparedStatement statement, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      statement.setObject(i + 1, args[i]);
    }
  }
}
