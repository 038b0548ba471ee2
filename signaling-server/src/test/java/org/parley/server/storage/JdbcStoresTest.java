package org.parley.server.storage;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.parley.server.storage.jdbc.Database;
import org.parley.server.storage.jdbc.JdbcAccountStore;
import org.parley.server.storage.jdbc.JdbcAttachmentSlots;
import org.parley.server.storage.jdbc.JdbcKeyStore;

/** The account, key and attachment slot contracts against the embedded H2 database. */
class JdbcStoresTest {

  private Database database;

  @BeforeEach
  void open() throws Exception {
    database = Database.embeddedH2(Files.createTempDirectory("parley-stores"));
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Nested
  class Accounts extends AccountStoreContract {
    private AccountStore store;

    @Override
    protected AccountStore store() {
      if (store == null) {
        store = new JdbcAccountStore(database);
      }
      return store;
    }
  }

  @Nested
  class Attachments extends AttachmentSlotsContract {
    private AttachmentSlots slots;

    @Override
    protected AttachmentSlots slots() {
      if (slots == null) {
        slots = new JdbcAttachmentSlots(database);
      }
      return slots;
    }
  }

  @Nested
  class Keys extends KeyStoreContract {
    private KeyStore store;

    @Override
    protected KeyStore store() {
      if (store == null) {
        store = new JdbcKeyStore(database);
      }
      return store;
    }
  }
}
