package org.parley.server.storage;

import java.nio.file.Files;
import org.parley.server.storage.jdbc.Database;

/** The database stores' contracts against the embedded H2 database, as the server runs by default. */
class JdbcStoresTest extends JdbcStoresContracts {

  @Override
  protected Database openDatabase() throws Exception {
    return Database.embeddedH2(Files.createTempDirectory("parley-stores"));
  }
}
