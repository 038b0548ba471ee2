package org.parley.client.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Database#migrate}: Flyway for a new or older schema, one history row read for an up-to-date one. */
class DatabaseMigrateTest {

  @TempDir
  Path dir;

  private static String columns(Database db) {
    return db.inTransaction(c -> {
      List<String> names = new ArrayList<>();
      try (var s = c.createStatement(); var r = s.executeQuery("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS "
          + "WHERE TABLE_NAME = 'PROBE' ORDER BY ORDINAL_POSITION")) {
        while (r.next()) {
          names.add(r.getString(1));
        }
      }
      return names.toString();
    });
  }

  private static void sql(Database db, String... statements) {
    db.run(c -> {
      try (var s = c.createStatement()) {
        for (String statement : statements) {
          s.execute(statement);
        }
      }
    });
  }

  @Test
  void aNewDatabaseGetsEveryMigration() throws Exception {
    try (Database db = Database.open(dir)) {
      db.migrate("probe", "2");
      assertThat(columns(db)).isEqualTo("[ID, NAME]");
    }
  }

  /**
   * Proof that Flyway does not run for an up-to-date store: a tampered checksum, which Flyway's validation refuses,
   * goes unnoticed — the price of not validating the applied migrations at every start.
   */
  @Test
  void anUpToDateStoreIsNotMigratedOrValidatedAgain() throws Exception {
    try (Database db = Database.open(dir)) {
      db.migrate("probe", "2");
      sql(db, "UPDATE \"flyway_probe_history\" SET \"checksum\" = 42 WHERE \"version\" = '2'");
    }
    try (Database db = Database.open(dir)) {
      db.migrate("probe", "2");
      assertThat(columns(db)).isEqualTo("[ID, NAME]");
    }
    // Had the store been behind, Flyway would have run, validated and refused.
    try (Database db = Database.open(dir)) {
      sql(db, "DELETE FROM \"flyway_probe_history\" WHERE \"version\" = '2'");
      assertThatThrownBy(() -> db.migrate("probe", "2")).isInstanceOf(FlywayException.class);
    }
  }

  @Test
  void anOlderSchemaIsMigratedForward() throws Exception {
    try (Database db = Database.open(dir)) {
      db.migrate("probe", "2");
      sql(db, "ALTER TABLE probe DROP COLUMN name", "DELETE FROM \"flyway_probe_history\" WHERE \"version\" = '2'");
      assertThat(columns(db)).isEqualTo("[ID]");
    }
    try (Database db = Database.open(dir)) {
      db.migrate("probe", "2");
      assertThat(columns(db)).isEqualTo("[ID, NAME]");
    }
  }

  @Test
  void aDeclaredVersionThatIsNotTheNewestMigrationIsABug() throws Exception {
    try (Database db = Database.open(dir)) {
      assertThatThrownBy(() -> db.migrate("probe", "3")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("probe schema is at version 2 but this Parley expects 3")
          .hasMessageContaining("a bug");
    }
  }

  @Test
  void aDatabaseFromANewerParleyIsRefusedClearly() throws Exception {
    try (Database db = Database.open(dir)) {
      db.migrate("probe", "2");
    }
    try (Database db = Database.open(dir)) {
      assertThatThrownBy(() -> db.migrate("probe", "1")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("written by a newer Parley");
    }
  }

  @Test
  void storeNamesAreCheckedBeforeTheyReachSql() throws Exception {
    try (Database db = Database.open(dir)) {
      assertThatThrownBy(() -> db.migrate("probe\" --", "1")).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
