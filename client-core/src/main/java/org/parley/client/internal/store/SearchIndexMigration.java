package org.parley.client.internal.store;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Creates a store's search index ({@link MessageSearchIndex}) and its newest-first time index, and indexes the
 * messages already stored — in Java, because the index's trigram hashing is Java's. The message store's V3 and the
 * group message store's V2 (tables of their own: group message ids are a sequence of their own, and the index's
 * segments are ranges of ids). The rows are written in one transaction; an interrupted build leaves the store at its
 * previous version and starts again at the next open.
 */
final class SearchIndexMigration implements JavaMigration {

  /** The version each store's search index migration has. */
  static final Map<String, String> VERSION_BY_STORE = Map.of("message", "3", "group_message", "2");

  static SearchIndexMigration forMessages() {
    return new SearchIndexMigration("message", "message search index", MessageSearchIndex.MESSAGES, "message_time");
  }

  static SearchIndexMigration forGroupMessages() {
    return new SearchIndexMigration("group_message", "group message search index", MessageSearchIndex.GROUP_MESSAGES,
        "group_message_time");
  }

  private final String version;
  private final String description;
  private final MessageSearchIndex.Tables tables;
  private final String timeIndex;

  private SearchIndexMigration(String store, String description, MessageSearchIndex.Tables tables,
      String timeIndex) {
    this.version = VERSION_BY_STORE.get(store);
    this.description = description;
    this.tables = tables;
    this.timeIndex = timeIndex;
  }

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion(version);
  }

  @Override
  public String getDescription() {
    return description;
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

  /** Creates the tables and the time index and indexes the stored messages (all full segments). */
  void build(Connection c) throws Exception {
    try (Statement s = c.createStatement()) {
      // H2 commits each DDL statement: a build that was interrupted (the process killed) starts from scratch.
      s.execute("DROP TABLE IF EXISTS " + tables.trigrams());
      s.execute("DROP TABLE IF EXISTS " + tables.state());
      s.execute("DROP INDEX IF EXISTS " + timeIndex);
      s.execute("CREATE TABLE " + tables.trigrams() + " (k BIGINT PRIMARY KEY, ids VARBINARY("
          + MessageSearchIndex.Offsets.BITMAP_BYTES + ") NOT NULL)");
      s.execute("CREATE TABLE " + tables.state() + " (id INT PRIMARY KEY, sealed_below BIGINT NOT NULL)");
      s.execute("INSERT INTO " + tables.state() + " VALUES (1, 0)");
      // Search walks all conversations newest first when the text is common or short.
      s.execute("CREATE INDEX " + timeIndex + " ON " + tables.messages() + " (sent_at, id)");
    }
    long newest = Jdbc.one(c, "SELECT MAX(id) FROM " + tables.messages(), r -> r.getLong(1)).orElse(0L);
    MessageSearchIndex.stored(c, tables, newest);
  }
}
