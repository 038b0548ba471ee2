package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Holds protocol/README.md to the schemas and to {@link Route}, so the module's description cannot drift. */
class ReadmeTest {

  // Surefire runs in the module's directory.
  private static final Path README = Path.of("README.md");
  private static final Path PROTO_ROOT = Path.of("src", "main", "proto");
  private static final Pattern FILE_ROW = Pattern.compile("(?m)^\\| `([^`]+\\.proto)` \\|");

  @Test
  void tableListsExactlyTheProtoFiles() throws IOException {
    Set<String> schemas;
    try (Stream<Path> files = Files.walk(PROTO_ROOT)) {
      schemas = files.filter(f -> f.getFileName().toString().endsWith(".proto"))
          .map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> documented = new TreeSet<>();
    Matcher row = FILE_ROW.matcher(readme());
    while (row.find()) {
      documented.add(row.group(1));
    }

    assertThat(schemas).as("the schemas under %s", PROTO_ROOT).isNotEmpty();
    assertThat(schemas).as("schemas missing from the README's table").isSubsetOf(documented);
    assertThat(documented).as("README rows naming no schema").isSubsetOf(schemas);
  }

  @Test
  void describesTheRouteEnumAndEachDirection() throws IOException {
    String readme = readme();

    assertThat(readme).contains("`" + Route.class.getName() + "`");
    Arrays.stream(Route.Direction.values())
        .forEach(direction -> assertThat(readme).as("the README explains %s", direction)
            .contains("`" + direction.name() + "`"));
  }

  private static String readme() throws IOException {
    assertThat(README).as("run from the protocol module's directory").exists();
    return Files.readString(README);
  }
}
