package org.parley.server.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pool, and schema migration per store: each store owns its tables and its own Flyway history table,
 * so stores can move to other databases independently.
 */
public final class Database implements AutoCloseable {

  private final HikariDataSource dataSource;

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The embedded default: an H2 file database under {@code dataDir}. */
  public static Database embeddedH2(Path dataDir) {
    // WRITE_DELAY=0: a commit reaches the file before it returns, so a killed process loses nothing it confirmed.
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("parley")
        + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
    return open(url, "sa", "", 16);
  }

  public static Database open(String jdbcUrl, String user, String password, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("parley-db");
    return new Database(new HikariDataSource(config));
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Applies the migrations under {@code classpath:db/<store>}, tracked in {@code flyway_<store>_history}. */
  public void migrate(String store) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/" + store)
        .table("flyway_" + store + "_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }

  @Override
  public void close() {
    if (dataSource.getJdbcUrl().startsWith("jdbc:h2:")) {
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
        s.execute("SHUTDOWN");
      } catch (SQLException ignored) {
        // already closed
      }
    }
    dataSource.close();
  }
}
