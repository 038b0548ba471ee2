package org.parley.server.storage;

import org.parley.server.storage.jdbc.Database;
import org.parley.server.support.PostgresTestCluster;

/** The database stores' contracts against a real PostgreSQL server ({@link PostgresTestCluster}). */
class PostgresStoresTest extends JdbcStoresContracts {

  @Override
  protected Database openDatabase() {
    return Database.open(PostgresTestCluster.shared().newDatabase(), PostgresTestCluster.USER, "", 8);
  }
}
