package org.parley.client.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each store skips Flyway when its history already shows {@code SCHEMA_VERSION} (a fast start), so a migration
 * added without raising that constant would never run. This pins the constant to the newest migration of the
 * store's folder (SQL files and Java migrations in the store package alike).
 */
class SchemaVersionsTest {
  private static final Pattern SQL_VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

  @Test
  void everyStoresSchemaVersionIsItsNewestMigration() throws Exception {
    List<Path> storeDirs = storeDirectories();
    assertThat(storeDirs).hasSizeGreaterThanOrEqualTo(12);
    for (Path dir : storeDirs) {
      String store = dir.getFileName().toString();
      Class<?> table = Class.forName(SchemaVersionsTest.class.getPackageName() + "."
          + camel(store).replace("Prekey", "PreKey") + "Table");
      var field = table.getDeclaredField("SCHEMA_VERSION");
      field.setAccessible(true);
      int declared = Integer.parseInt((String) field.get(null));
      assertThat(declared).as("%s.SCHEMA_VERSION", table.getSimpleName())
          .isEqualTo(Math.max(newestSql(dir), newestJavaMigration(store)));
    }
  }

  private static List<Path> storeDirectories() throws IOException, URISyntaxException {
    // a known migration names the main resources' folder (test resources may hold a db/client of their own)
    Path root = Path.of(SchemaVersionsTest.class.getResource("/db/client/account/V1__account.sql").toURI())
        .getParent().getParent();
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory).sorted().collect(Collectors.toList());
    }
  }

  private static int newestSql(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> SQL_VERSION.matcher(f.getFileName().toString())).filter(Matcher::matches)
          .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
    }
  }

  /** Java migrations: today the search index of the message and the group message stores. */
  private static int newestJavaMigration(String store) {
    return Integer.parseInt(SearchIndexMigration.VERSION_BY_STORE.getOrDefault(store, "0"));
  }

  private static String camel(String store) {
    return Arrays.stream(store.split("_"))
        .map(w -> w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1)).collect(Collectors.joining());
  }
}
