package org.parley.server.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.parley.server.storage.jdbc.Database;
import org.parley.server.storage.jdbc.JdbcAccountStore;
import org.parley.server.storage.jdbc.JdbcAttachmentSlots;
import org.parley.server.storage.jdbc.JdbcContactPairs;
import org.parley.server.storage.jdbc.JdbcKeyStore;
import org.parley.server.storage.jdbc.JdbcLinkingCodes;
import org.parley.server.storage.jdbc.JdbcRegistrationLocks;
import org.parley.server.storage.jdbc.JdbcVerificationSessions;

/**
 * The contracts of every store kept in the database, run against one backend per subclass (H2, PostgreSQL): each
 * test gets a fresh, empty database.
 */
abstract class JdbcStoresContracts {

  private Database database;

  /** A new, empty database. */
  protected abstract Database openDatabase() throws Exception;

  @BeforeEach
  void open() throws Exception {
    database = openDatabase();
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

  @Nested
  class Contacts extends ContactPairsContract {
    private ContactPairs pairs;

    @Override
    protected ContactPairs pairs() {
      if (pairs == null) {
        pairs = new JdbcContactPairs(database);
      }
      return pairs;
    }

    @Override
    protected ContactPairs reopened() {
      return new JdbcContactPairs(database);
    }
  }

  @Nested
  class Locks extends RegistrationLocksContract {
    private RegistrationLocks locks;

    @Override
    protected RegistrationLocks locks() {
      if (locks == null) {
        locks = new JdbcRegistrationLocks(database);
      }
      return locks;
    }
  }

  @Nested
  class Verification extends VerificationSessionsContract {
    private VerificationSessions sessions;

    @Override
    protected VerificationSessions sessions() {
      if (sessions == null) {
        sessions = new JdbcVerificationSessions(database);
      }
      return sessions;
    }
  }

  @Nested
  class LinkingCodes extends LinkingCodeStoreContract {
    private LinkingCodeStore codes;

    @Override
    protected LinkingCodeStore codes() {
      if (codes == null) {
        codes = new JdbcLinkingCodes(database);
      }
      return codes;
    }
  }
}
