package org.parley.server.storage.jdbc;

import java.util.Optional;
import javax.sql.DataSource;
import org.parley.server.storage.LinkingCodeStore;

/** {@link LinkingCodeStore} in {@code linking_codes}. */
public final class JdbcLinkingCodes implements LinkingCodeStore {

  private final DataSource dataSource;

  public JdbcLinkingCodes(Database database) {
    database.migrate("linking");
    this.dataSource = database.dataSource();
  }

  @Override
  public void put(String codeHash, Entry entry) {
    update("storing a linking code", "INSERT INTO linking_codes (code_hash, account_id, expires_at) VALUES (?, ?, ?)",
        codeHash, entry.accountId(), entry.expiresAt());
  }

  @Override
  public Optional<Entry> find(String codeHash) {
    return Statements.findOne(dataSource, "reading a linking code",
        "SELECT account_id, expires_at FROM linking_codes WHERE code_hash = ?",
        row -> new Entry(row.getString(1), row.getLong(2)), codeHash);
  }

  @Override
  public boolean consume(String codeHash, long now) {
    return update("using a linking code", "DELETE FROM linking_codes WHERE code_hash = ? AND expires_at > ?",
        codeHash, now) > 0;
  }

  @Override
  public void delete(String codeHash) {
    update("deleting a linking code", "DELETE FROM linking_codes WHERE code_hash = ?", codeHash);
  }

  @Override
  public void deleteExpired(long now) {
    update("deleting expired linking codes", "DELETE FROM linking_codes WHERE expires_at <= ?", now);
  }

  private int update(String what, String sql, Object... args) {
    return Statements.update(dataSource, what, sql, args);
  }
}
