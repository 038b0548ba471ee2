package org.parley.client.internal.store;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Group message store V2: the search index for group messages ({@link MessageSearchIndex#GROUP_MESSAGES}), built
 * for the messages already stored. Tables of their own rather than rows in the 1:1 index: group message ids are a
 * sequence of their own, and the index's segments are ranges of ids.
 */
final class GroupSearchIndexMigration implements JavaMigration {

  static final String VERSION = "2";

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion(VERSION);
  }

  @Override
  public String getDescription() {
    return "group message search index";
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

  static void build(Connection c) throws Exception {
    MessageSearchIndex.Tables t = MessageSearchIndex.GROUP_MESSAGES;
    try (Statement s = c.createStatement()) {
      // H2 commits each DDL statement: a build that was interrupted starts from scratch.
      s.execute("DROP TABLE IF EXISTS " + t.trigrams());
      s.execute("DROP TABLE IF EXISTS " + t.state());
      s.execute("DROP INDEX IF EXISTS group_message_time");
      s.execute("CREATE TABLE " + t.trigrams() + " (k BIGINT PRIMARY KEY, ids VARBINARY("
          + MessageSearchIndex.Offsets.BITMAP_BYTES + ") NOT NULL)");
      s.execute("CREATE TABLE " + t.state() + " (id INT PRIMARY KEY, sealed_below BIGINT NOT NULL)");
      s.execute("INSERT INTO " + t.state() + " VALUES (1, 0)");
      // A common text is checked newest first across all groups.
      s.execute("CREATE INDEX group_message_time ON group_message (sent_at, id)");
    }
    long newest = Jdbc.one(c, "SELECT MAX(id) FROM group_message", r -> r.getLong(1)).orElse(0L);
    MessageSearchIndex.stored(c, t, newest);
  }
}
