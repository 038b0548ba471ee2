package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
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
    return Statements.findOne(dataSource, "reading a registration lock",
        "SELECT token_hash, set_at FROM registration_locks WHERE account_id = ?",
        row -> new Lock(row.getString(1), row.getLong(2)), accountId);
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
    return Statements.update(dataSource, "removing a registration lock",
        "DELETE FROM registration_locks WHERE account_id = ?", accountId) > 0;
  }
}
