package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.parley.server.storage.ContactPairs;

/**
 * {@link ContactPairs} in {@code contact_pairs}. Pairs already known are remembered, so steady messaging costs a set
 * look-up, not a write; the memory is bounded and simply starts over when full (the table stays the truth).
 */
public final class JdbcContactPairs implements ContactPairs {

  private static final int MAX_REMEMBERED = 200_000;
  /** SQLSTATE of a unique-key violation, in H2 and PostgreSQL alike. */
  private static final String DUPLICATE_KEY = "23505";

  private final DataSource dataSource;
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  public JdbcContactPairs(Database database) {
    database.migrate("contacts");
    this.dataSource = database.dataSource();
  }

  private static String key(String from, String to) {
    return from + ">" + to;
  }

  @Override
  public boolean knownToBeRecorded(String fromAccount, String toAccount) {
    return known.contains(key(fromAccount, toAccount));
  }

  @Override
  public void record(String fromAccount, String toAccount) {
    String key = key(fromAccount, toAccount);
    if (known.contains(key)) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert =
            c.prepareStatement("INSERT INTO contact_pairs (from_account, to_account) VALUES (?, ?)")) {
      insert.setString(1, fromAccount);
      insert.setString(2, toAccount);
      insert.executeUpdate();
    } catch (SQLException e) {
      if (!DUPLICATE_KEY.equals(e.getSQLState())) {
        throw new JdbcException("recording a contact pair", e);
      }
    }
    remember(key);
  }

  @Override
  public boolean hasSent(String fromAccount, String toAccount) {
    String key = key(fromAccount, toAccount);
    if (known.contains(key)) {
      return true;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement query = c.prepareStatement(
            "SELECT 1 FROM contact_pairs WHERE from_account = ? AND to_account = ?")) {
      query.setString(1, fromAccount);
      query.setString(2, toAccount);
      try (ResultSet rows = query.executeQuery()) {
        if (rows.next()) {
          remember(key);
          return true;
        }
        return false;
      }
    } catch (SQLException e) {
      throw new JdbcException("reading contact pairs", e);
    }
  }

  private void remember(String key) {
    if (known.size() >= MAX_REMEMBERED) {
      known.clear();
    }
    known.add(key);
  }
}
