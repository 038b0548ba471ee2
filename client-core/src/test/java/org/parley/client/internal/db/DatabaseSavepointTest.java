package org.parley.client.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Database#inSavepoint}: a failing step of a larger transaction takes back only what it did. */
class DatabaseSavepointTest {

  @TempDir
  Path dir;

  private static void insert(Connection c, String name) throws Exception {
    try (var s = c.prepareStatement("INSERT INTO item (name) VALUES (?)")) {
      s.setString(1, name);
      s.executeUpdate();
    }
  }

  private static List<String> items(Database db) {
    return db.inTransaction(c -> {
      List<String> names = new ArrayList<>();
      try (var s = c.createStatement(); var r = s.executeQuery("SELECT name FROM item ORDER BY id")) {
        while (r.next()) {
          names.add(r.getString(1));
        }
      }
      return names;
    });
  }

  @Test
  void aFailedStepRollsBackAloneAndTheTransactionCommitsTheRest() throws Exception {
    try (Database db = Database.open(dir)) {
      db.run(c -> {
        try (var s = c.createStatement()) {
          s.execute("CREATE TABLE item (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20) NOT NULL)");
        }
      });
      List<String> failures = new ArrayList<>();
      db.run(c -> {
        db.inSavepoint(s -> {
          insert(s, "first");
          return null;
        });
        try {
          db.inSavepoint(s -> {
            insert(s, "half");
            throw new IOException("the disk said no");
          });
        } catch (StoreException e) {
          failures.add(e.getCause().getMessage());
        }
        try {
          // A nested transaction that fails marks the work for rollback even if its exception is swallowed.
          db.inSavepoint(s -> {
            insert(s, "swallowed");
            try {
              db.run(inner -> {
                throw new IOException("nested");
              });
            } catch (StoreException swallowed) {
              // the step carries on as if nothing happened
            }
            return null;
          });
        } catch (StoreException e) {
          failures.add("marked");
        }
        db.inSavepoint(s -> {
          insert(s, "last");
          return null;
        });
      });
      assertThat(failures).containsExactly("the disk said no", "marked");
      assertThat(items(db)).containsExactly("first", "last");
    }
  }

  @Test
  void aSavepointNeedsAnEnclosingTransaction() throws Exception {
    try (Database db = Database.open(dir)) {
      assertThatThrownBy(() -> db.inSavepoint(c -> null)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("enclosing inTransaction");
    }
  }
}
