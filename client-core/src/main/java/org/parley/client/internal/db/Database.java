package org.parley.client.internal.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The local H2 database, encrypted with AES (H2's {@code CIPHER=AES}) under the key in {@code db.key}. A client
 * is one user, so one connection serves everything; {@link #inTransaction} runs work under a re-entrant lock and
 * commits when the outermost call returns, so a decrypt, the session update it causes and the stored message
 * commit together or not at all.
 */
public final class Database implements AutoCloseable {

  /** Work against the connection that may throw. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws Exception;
  }

  private final String url;
  private final String password;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Connection connection;
  private final ReentrantLock txLock = new ReentrantLock();
  private boolean rollbackOnly;

  private Database(String url, String password, FileChannel lockChannel, FileLock lock) throws SQLException {
    this.url = url;
    this.password = password;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.connection = DriverManager.getConnection(url, "parley", password);
    this.connection.setAutoCommit(false);
  }

  /**
   * One client per data directory, in this process or another: an OS file lock on {@code dataDir/.lock}, released
   * by the OS even when the process is killed.
   */
  private static FileChannel lockDirectory(Path dataDir, FileLock[] lock) throws IOException {
    FileChannel channel = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    try {
      lock[0] = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock[0] = null;
    }
    if (lock[0] == null) {
      channel.close();
      throw new IOException("The data directory " + dataDir + " is in use by another Parley client "
          + "(a running 'parley daemon' or 'receive'?)");
    }
    return channel;
  }

  /** Opens (creating if needed) {@code dataDir/parley.mv.db}; the key lives in {@code dataDir/db.key}. */
  public static Database open(Path dataDir) throws IOException, SQLException {
    Files.createDirectories(dataDir);
    FileLock[] lock = new FileLock[1];
    FileChannel lockChannel = lockDirectory(dataDir, lock);
    String key;
    try {
      key = KeyFile.loadOrCreate(dataDir.resolve("db.key"));
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
    // WRITE_DELAY=0: a commit is on disk when it returns, so a killed process loses nothing it confirmed.
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("parley")
        + ";CIPHER=AES;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
    // H2 takes "filePassword userPassword": the first encrypts the file, the second logs in.
    try {
      return new Database(url, key + " " + key, lockChannel, lock[0]);
    } catch (SQLException e) {
      lockChannel.close();
      if (e.getErrorCode() == 90049 || e.getErrorCode() == 28000) {
        throw new SQLException("Cannot decrypt the local database in " + dataDir
            + ": db.key does not match parley.mv.db", e);
      }
      if (e.getErrorCode() == 90020) {
        throw new SQLException("The local database in " + dataDir + " is in use by another parley process", e);
      }
      throw e;
    }
  }

  /**
   * Brings store {@code store} to schema version {@code latestVersion}: the SQL migrations under
   * {@code classpath:db/client/<store>} plus {@code javaMigrations}, tracked in {@code flyway_<store>_history}. When
   * the history's newest row already is {@code latestVersion} and succeeded, that one-row read is all (Flyway is not
   * even loaded: starting it for a dozen stores took most of a second of every start). Otherwise Flyway migrates, and the result must be
   * {@code latestVersion}: a store that declares another version than its newest migration fails here, in the first
   * test that opens a new database, rather than silently re-running Flyway at every start.
   *
   * @throws IllegalStateException when the migrations end at another version, or the database is newer than this
   *     code
   */
  public void migrate(String store, String latestVersion, JavaMigration... javaMigrations) {
    if (!store.matches("[a-z_]+")) {
      throw new IllegalArgumentException("not a store name: " + store);
    }
    String history = "flyway_" + store + "_history";
    Optional<String> current = currentVersion(history);
    if (current.isPresent() && current.get().equals(latestVersion)) {
      return;
    }
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL(url);
    dataSource.setUser("parley");
    dataSource.setPassword(password);
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/client/" + store)
        .javaMigrations(javaMigrations)
        .table(history)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    String after = currentVersion(history).orElse("none");
    if (!after.equals(latestVersion)) {
      throw new IllegalStateException("The local database's " + store + " schema is at version " + after
          + " but this Parley expects " + latestVersion + (current.isPresent() && isNewer(after, latestVersion)
              ? " (the database was written by a newer Parley)" : " (its migrations end elsewhere: a bug)"));
    }
  }

  private static boolean isNewer(String version, String than) {
    try {
      return Long.parseLong(version) > Long.parseLong(than);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * The version of the newest successful row of a Flyway history table; empty when there is no such table or its
   * newest row failed (Flyway then decides what to do).
   */
  private Optional<String> currentVersion(String historyTable) {
    return inTransaction(c -> {
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT \"version\", \"success\" FROM \"" + historyTable
              + "\" ORDER BY \"installed_rank\" DESC LIMIT 1")) {
        if (r.next() && r.getBoolean(2) && r.getString(1) != null) {
          return Optional.of(r.getString(1));
        }
        return Optional.empty();
      } catch (SQLException e) {
        if (e.getErrorCode() == ErrorCode.TABLE_OR_VIEW_NOT_FOUND_1
            || e.getErrorCode() == ErrorCode.TABLE_OR_VIEW_NOT_FOUND_DATABASE_EMPTY_1) {
          return Optional.empty();
        }
        throw e;
      }
    });
  }

  /** Runs {@code work} in a transaction (joining the caller's, if any); commits when the outermost returns. */
  public <T> T inTransaction(Work<T> work) {
    txLock.lock();
    boolean outermost = txLock.getHoldCount() == 1;
    try {
      T result = work.run(connection);
      if (outermost) {
        if (rollbackOnly) {
          connection.rollback();
        } else {
          connection.commit();
        }
      }
      return result;
    } catch (Exception e) {
      if (outermost) {
        rollbackQuietly();
      } else {
        rollbackOnly = true;
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new StoreException(e);
    } finally {
      if (outermost) {
        rollbackOnly = false;
      }
      txLock.unlock();
    }
  }

  /** Like {@link #inTransaction} for work without a result. */
  public void run(VoidWork work) {
    inTransaction(c -> {
      work.run(c);
      return null;
    });
  }

  /** Work without a result. */
  @FunctionalInterface
  public interface VoidWork {
    void run(Connection connection) throws Exception;
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; nothing was committed
    }
  }

  @Override
  public void close() {
    txLock.lock();
    try (Statement s = connection.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException ignored) {
      // already closed
    } finally {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // already closed
      }
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException ignored) {
        // the OS releases it with the process anyway
      }
      txLock.unlock();
    }
  }
}
