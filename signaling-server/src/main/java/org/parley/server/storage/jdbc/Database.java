package org.parley.server.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pool, and schema migration per store: each store owns its tables and its own Flyway history table,
 * so stores can move to other databases independently. The stores' SQL is the same on H2 and PostgreSQL; where the
 * two differ, the store asks {@link #dialect()} (ADR 0150).
 */
public final class Database implements AutoCloseable {

  /** The databases the stores run on. */
  public enum Dialect {
    H2,
    POSTGRES;

    static Dialect of(String jdbcUrl) {
      if (jdbcUrl.startsWith("jdbc:h2:")) {
        return H2;
      }
      if (jdbcUrl.startsWith("jdbc:postgresql:")) {
        return POSTGRES;
      }
      throw new IllegalArgumentException("not an H2 or PostgreSQL JDBC URL: " + jdbcUrl);
    }
  }

  static final long CONNECTION_TIMEOUT_MILLIS = 5_000;

  private final HikariDataSource dataSource;
  private final Dialect dialect;

  private Database(HikariDataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  /** The embedded default: an H2 file database under {@code dataDir}. */
  public static Database embeddedH2(Path dataDir) {
    // WRITE_DELAY=0: a commit reaches the file before it returns, so a killed process loses nothing it confirmed.
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("parley")
        + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
    return open(url, "sa", "", 16);
  }

  /** An H2 or PostgreSQL database by URL, with at most {@code poolSize} connections. */
  public static Database open(String jdbcUrl, String user, String password, int poolSize) {
    Dialect dialect = Dialect.of(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("parley-db");
    if (dialect == Dialect.POSTGRES) {
      // A request waits at most this long for a connection: with the database down or restarting it fails with 503
      // (retryable) within seconds rather than holding the client for Hikari's default 30 s.
      config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
      // A batch of inserts (the message queue's group commit) goes over the wire as multi-row INSERTs, not one
      // statement per row.
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
      config.addDataSourceProperty("ApplicationName", "parley-server");
    }
    return new Database(new HikariDataSource(config), dialect);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Dialect dialect() {
    return dialect;
  }

  /**
   * Applies the migrations under {@code classpath:db/<store>}, tracked in {@code flyway_<store>_history}; on
   * PostgreSQL also those under {@code classpath:db/postgres/<store>} (what only PostgreSQL needs, numbered after
   * the shared ones).
   */
  public void migrate(String store) {
    List<String> locations = new ArrayList<>(List.of("classpath:db/" + store));
    if (dialect == Dialect.POSTGRES) {
      locations.add("classpath:db/postgres/" + store);
    }
    Flyway.configure()
        .dataSource(dataSource)
        .locations(locations.toArray(String[]::new))
        .table("flyway_" + store + "_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }

  /** What one transaction does with its connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction of its own: committed when it returns, rolled back when it throws; a SQL
   * failure becomes a {@link JdbcException} about {@code what}.
   */
  public <T> T inTransaction(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new JdbcException(what, e);
    }
  }

  @Override
  public void close() {
    if (dialect == Dialect.H2) {
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
        s.execute("SHUTDOWN");
      } catch (SQLException ignored) {
        // already closed
      }
    }
    dataSource.close();
  }
}
