package org.parley.client.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.internal.db.Database;

/** The GUIDs of processed envelopes, keyed by server time first (ADR 0203). */
class ProcessedEnvelopeTableTest {

  @TempDir
  Path dir;
  Database db;
  ProcessedEnvelopeTable processed;

  @BeforeEach
  void open() throws Exception {
    db = Database.open(dir);
    processed = new ProcessedEnvelopeTable(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void anEnvelopeIsKnownByItsServerTimeAndGuidAndRowsFromBeforeTheTimeWasKeptStillCount() {
    processed.record(1_000, "guid-a", 5);
    processed.record(1_000, "guid-a", 6); // recorded again (a duplicate that was dropped): no error
    assertThat(processed.seen(1_000, "guid-a")).isTrue();
    assertThat(processed.seen(1_000, "guid-b")).isFalse();
    assertThat(processed.seen(2_000, "guid-a")).as("another envelope that happens to share the GUID").isFalse();

    // Recorded by a client before migration V2: its server time is 0.
    db.run(c -> {
      try (var s = c.prepareStatement("INSERT INTO processed_envelope (server_guid, processed_at) VALUES (?, 1)")) {
        s.setString(1, "guid-old");
        s.executeUpdate();
      }
    });
    assertThat(processed.seen(3_000, "guid-old")).isTrue();
  }

  /** The lookup is a key lookup on the primary key, not a scan of every GUID ever processed. */
  @Test
  void theLookupUsesThePrimaryKey() {
    String plan = db.inTransaction(c -> {
      try (var s = c.prepareStatement("EXPLAIN " + ProcessedEnvelopeTable.SEEN_SQL)) {
        s.setLong(1, 1_000);
        s.setString(2, "guid");
        try (var r = s.executeQuery()) {
          r.next();
          return r.getString(1);
        }
      }
    });
    // H2 names the index behind the primary key constraint PRIMARY_KEY_<n>; a scan would say "tableScan".
    assertThat(plan.toUpperCase(Locale.ROOT)).as(plan).containsPattern("PRIMARY_KEY_\\w*: SERVER_TIMESTAMP IN")
        .doesNotContain("TABLESCAN");
  }
}
