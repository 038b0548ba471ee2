package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.parley.server.storage.RegistrationLocks;

/** {@link RegistrationLocks} in {@code registration_locks}, read only at registration and when a lock changes. */
public final class JdbcRegistrationLocks implements RegistrationLocks {

  private final DataSource dataSource;

  public JdbcRegistrationLocks(Database database) {
    database.migrate("registration-locks");
    this.dataSource = database.dataSource();
  }

  @Override
  public Optional<Lock> find(String accountId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement query =
            c.prepareStatement("SELECT token_hash, set_at FROM registration_locks WHERE account_id = ?")) {
      query.setString(1, accountId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(new Lock(rows.getString(1), rows.getLong(2))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new JdbcException("reading a registration lock", e);
    }
  }

  @Override
  public void set(String accountId, Lock lock) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM registration_locks WHERE account_id = ?");
          PreparedStatement insert = c.prepareStatement(
              "INSERT INTO registration_locks (account_id, token_hash, set_at) VALUES (?, ?, ?)")) {
        delete.setString(1, accountId);
        delete.executeUpdate();
        insert.setString(1, accountId);
        insert.setString(2, lock.tokenHash());
        insert.setLong(3, lock.setAt());
        insert.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new JdbcException("setting a registration lock", e);
    }
  }

  @Override
  public boolean remove(String accountId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement delete = c.prepareStatement("DELETE FROM registration_locks WHERE account_id = ?")) {
      delete.setString(1, accountId);
      return delete.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new JdbcException("removing a registration lock", e);
    }
  }
}
