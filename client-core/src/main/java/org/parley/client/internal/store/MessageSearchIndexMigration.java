package org.parley.client.internal.store;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Message store V3: the search index ({@link MessageSearchIndex}) and the newest-first time index, built for the
 * messages already stored — in Java, because the index's trigram hashing is Java's. The rows are written in one
 * transaction; an interrupted build leaves the history at V2 and starts again at the next open.
 */
final class MessageSearchIndexMigration implements JavaMigration {

  static final String VERSION = "3";

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion(VERSION);
  }

  @Override
  public String getDescription() {
    return "message search index";
  }

  @Override
  public Integer getChecksum() {
    return null;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws Exception {
    build(context.getConnection());
  }

  /** Creates the tables and indexes of V3 and indexes the stored messages (all full segments). */
  static void build(Connection c) throws Exception {
    try (Statement s = c.createStatement()) {
      // H2 commits each DDL statement: a build that was interrupted (the process killed) starts from scratch.
      s.execute("DROP TABLE IF EXISTS message_trigram");
      s.execute("DROP TABLE IF EXISTS message_search_state");
      s.execute("DROP INDEX IF EXISTS message_time");
      s.execute("CREATE TABLE message_trigram (k BIGINT PRIMARY KEY, ids VARBINARY("
          + MessageSearchIndex.Offsets.BITMAP_BYTES + ") NOT NULL)");
      s.execute("CREATE TABLE message_search_state (id INT PRIMARY KEY, sealed_below BIGINT NOT NULL)");
      s.execute("INSERT INTO message_search_state VALUES (1, 0)");
      // Search walks all conversations newest first when the text is common or short.
      s.execute("CREATE INDEX message_time ON message (sent_at, id)");
    }
    long newest = Jdbc.one(c, "SELECT MAX(id) FROM message", r -> r.getLong(1)).orElse(0L);
    MessageSearchIndex.stored(c, newest);
  }
}
