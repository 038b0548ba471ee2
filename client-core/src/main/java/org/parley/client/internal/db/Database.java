package org.parley.client.internal.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

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
  private final Housekeeping housekeeping;
  private final MVStore store;
  private int commitsSinceCompaction;
  private final ChunkHeaderGuard headerGuard;
  /** Below this, a file's dead space is not worth a copy at close (a new account's file is ~1 MB). */
  static final long COMPACT_ON_CLOSE_MIN_BYTES = 4L << 20;

  /**
   * What H2's background writer would do, were there one. With {@code WRITE_DELAY=0} (needed so a commit is on disk
   * when it returns) H2 starts no background thread, and MVStore's copy-on-write chunks are never compacted while the
   * database is open: the file grew by 20–80 kB per stored or sent message (2.7 GB after sending 100,000). So every
   * {@code compactEvery} commits the store rewrites the live pages of its sparsest chunks (at most
   * {@code writeLimit} bytes), and a chunk without live pages may be overwritten {@code retentionMillis} after it
   * emptied. Production keeps H2's 45 s: a 5 s retention lost a committed message when the process that wrote it
   * was killed and the next two opened the file within seconds (cli CrashSafetyTest), so under a burst of commits the
   * file still grows for up to 45 s before compaction can reuse the emptied chunks; {@link #close()} then copies
   * the file down to its live data (ADR 0205). Tests pass 0 to measure compaction alone.
   *
   * @param compactEvery 0 turns housekeeping off (tests compare)
   */
  public record Housekeeping(int compactEvery, int targetFillRate, int writeLimit, int retentionMillis) {
    public static final Housekeeping DEFAULT = new Housekeeping(256, 80, 4 << 20, 45_000);
  }

  private Database(String url, String password, FileChannel lockChannel, FileLock lock, Housekeeping housekeeping)
      throws SQLException {
    this.url = url;
    this.password = password;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.housekeeping = housekeeping;
    this.connection = DriverManager.getConnection(url, "parley", password);
    this.connection.setAutoCommit(false);
    // H2's engine classes, not its JDBC API: the only way to the MVStore of an embedded database. H2's version is
    // pinned in the parent pom; DatabaseHousekeepingTest fails if this stops doing its job.
    this.store = ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
        .getMvStore();
    if (housekeeping.compactEvery() > 0) {
      store.setRetentionTime(housekeeping.retentionMillis());
    }
    this.headerGuard = new ChunkHeaderGuard(store);
  }

  /** The MVStore's current version: the newest commit's, once it is written (tests). */
  long storeVersion() {
    return store.getCurrentVersion();
  }

  /** How many times {@link ChunkHeaderGuard} had to write the file's header again (tests). */
  long headerRewrites() {
    return headerGuard.headerWrites();
  }

  /** The database file's size now, in bytes. */
  public long fileSize() {
    return store.getFileStore().size();
  }

  private void afterCommit() {
    headerGuard.afterCommit();
    if (housekeeping.compactEvery() > 0 && ++commitsSinceCompaction >= housekeeping.compactEvery()) {
      commitsSinceCompaction = 0;
      try {
        store.compact(housekeeping.targetFillRate(), housekeeping.writeLimit());
      } catch (RuntimeException e) {
        // Housekeeping; the committed work is safe. The next round tries again.
        System.getLogger(Database.class.getName()).log(System.Logger.Level.WARNING,
            "Compacting the local database failed: " + e.getMessage());
      }
      headerGuard.afterCommit();
    }
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
    return open(dataDir, Housekeeping.DEFAULT);
  }

  /** {@link #open(Path)} with other housekeeping settings. */
  public static Database open(Path dataDir, Housekeeping housekeeping) throws IOException, SQLException {
    Files.createDirectories(dataDir);
    FileLock[] lock = new FileLock[1];
    FileChannel lockChannel = lockDirectory(dataDir, lock);
    String key;
    try {
      Path keyFile = dataDir.resolve("db.key");
      Path databaseFile = dataDir.resolve("parley.mv.db");
      // A new key would open nothing: say what is missing instead of creating one and reporting a mismatch.
      if (!Files.exists(keyFile) && Files.exists(databaseFile)) {
        throw new IOException("The database key " + keyFile + " is missing, and " + databaseFile
            + " cannot be read without it. Put back db.key from a backup of this directory; to start afresh"
            + " instead, move the directory away (its messages and keys cannot be recovered without db.key).");
      }
      key = KeyFile.loadOrCreate(keyFile);
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
    // WRITE_DELAY=0: a commit is on disk when it returns, so a killed process loses nothing it confirmed.
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("parley")
        + ";CIPHER=AES;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
    // H2 takes "filePassword userPassword": the first encrypts the file, the second logs in.
    try {
      return new Database(url, key + " " + key, lockChannel, lock[0], housekeeping);
    } catch (SQLException e) {
      lockChannel.close();
      if (e.getErrorCode() == 90049 || e.getErrorCode() == 28000) {
        throw new SQLException("Cannot decrypt the local database in " + dataDir
            + ": db.key does not match parley.mv.db" + (looksDamaged(dataDir.resolve("parley.mv.db"))
            ? ", or the file's header is damaged (it does not start like an encrypted H2 database)" : ""), e);
      }
      if (e.getErrorCode() == 90030) { // FILE_CORRUPTED_1
        throw new SQLException("The local database " + dataDir.resolve("parley.mv.db") + " is damaged ("
            + e.getMessage() + "); restore it from a backup, or move the directory away to start afresh", e);
      }
      if (e.getErrorCode() == 90020) {
        throw new SQLException("The local database in " + dataDir + " is in use by another parley process", e);
      }
      throw e;
    }
  }

  /**
   * Whether {@code file} does not start like the databases H2 encrypts: their first block is the magic "H2encrypt"
   * (in clear, before the encrypted store), which a file damaged at its start no longer has.
   */
  private static boolean looksDamaged(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(9);
      return !new String(head, StandardCharsets.US_ASCII).equals("H2encrypt");
    } catch (IOException unreadable) {
      return true;
    }
  }

  /**
   * Brings store {@code store} to schema version {@code latestVersion}: the SQL migrations under
   * {@code classpath:db/client/<store>} plus {@code javaMigrations}, tracked in {@code flyway_<store>_history}. When
   * the history's newest row already is {@code latestVersion} and succeeded, that one-row read is all (Flyway is not
   * even loaded: starting it for a dozen stores took most of a second of every start). Otherwise Flyway migrates, and
   * the result must be {@code latestVersion}: a store that declares another version than its newest migration fails
   * here, in the first test that opens a new database, rather than silently re-running Flyway at every start.
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
      // Asked first rather than caught: H2 writes every failed statement to parley.trace.db.
      try (PreparedStatement exists = c.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES "
          + "WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ?")) {
        exists.setString(1, historyTable);
        try (ResultSet r = exists.executeQuery()) {
          if (!r.next() || r.getInt(1) == 0) {
            return Optional.empty();
          }
        }
      }
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT \"version\", \"success\" FROM \"" + historyTable
              + "\" ORDER BY \"installed_rank\" DESC LIMIT 1")) {
        if (r.next() && r.getBoolean(2) && r.getString(1) != null) {
          return Optional.of(r.getString(1));
        }
        return Optional.empty();
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
          afterCommit();
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

  /**
   * Runs {@code work} under a savepoint inside the transaction this thread already holds (an {@link #inTransaction}
   * around it): when {@code work} throws, or a nested call inside it marked the transaction for rollback, only what
   * {@code work} did is rolled back, the enclosing transaction goes on, and the failure is thrown as
   * {@link #inTransaction} throws it. The inbox runs each message of a batch this way, so a message that cannot be
   * stored costs only itself.
   *
   * @throws IllegalStateException when no transaction is open on this thread
   */
  public <T> T inSavepoint(Work<T> work) {
    if (!txLock.isHeldByCurrentThread()) {
      throw new IllegalStateException("inSavepoint needs an enclosing inTransaction on this thread");
    }
    boolean rollbackOnlyBefore = rollbackOnly;
    Savepoint savepoint;
    try {
      savepoint = connection.setSavepoint();
    } catch (SQLException e) {
      throw new StoreException(e);
    }
    try {
      T result = inTransaction(work);
      if (rollbackOnly && !rollbackOnlyBefore) {
        throw new StoreException(new SQLException("a nested step failed and marked the work for rollback"));
      }
      connection.releaseSavepoint(savepoint);
      return result;
    } catch (RuntimeException e) {
      try {
        connection.rollback(savepoint);
        rollbackOnly = rollbackOnlyBefore;
      } catch (SQLException rollbackFailed) {
        // The enclosing transaction stays marked: it rolls back as a whole.
        rollbackOnly = true;
        e.addSuppressed(rollbackFailed);
      }
      throw e;
    } catch (SQLException e) {
      rollbackOnly = true;
      throw new StoreException(e);
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

  /**
   * Bytes of the file that hold live data, by H2's own count: the share of the file that chunks occupy, times the
   * share of those chunks' bytes that are still referenced. Chunks that died within the retention time count as
   * dead (they are only kept for a crash's sake).
   */
  public long liveBytes() {
    FileStore<?> file = store.getFileStore();
    return fileSize() * file.getFillRate() / 100 * file.getChunksFillRate() / 100;
  }

  /**
   * Whether closing now copies the live pages into a new file: when at least a third of the file is dead space
   * (and the file is large enough for it to matter). H2's own close compacts for at most {@code MAX_COMPACT_TIME}
   * (200 ms) and only when partly filled chunks exist; a file of dead chunks (every chunk fully live or fully
   * dead, as a burst of small commits leaves it) is not shrunk at all: a bot's 1.25 GB file of 3 MB live data
   * stayed 1.25 GB.
   */
  boolean compactsOnClose() {
    long size = fileSize();
    return housekeeping.compactEvery() > 0 && size > COMPACT_ON_CLOSE_MIN_BYTES
        && liveBytes() < size * 2 / 3;
  }

  @Override
  public void close() {
    txLock.lock();
    boolean compact;
    try {
      compact = compactsOnClose();
    } catch (RuntimeException e) {
      compact = false;
    }
    try (Statement s = connection.createStatement()) {
      // SHUTDOWN COMPACT: H2 closes the file as usual (every commit is in it), copies the live pages, compressed,
      // into parley.mv.db.tempFile under the same key and renames it over parley.mv.db. A kill before the rename
      // leaves the closed file and a stray temporary file, which H2 deletes at the next open
      // (MVStoreTool.compactCleanUp); after it, the copy.
      s.execute(compact ? "SHUTDOWN COMPACT" : "SHUTDOWN");
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
