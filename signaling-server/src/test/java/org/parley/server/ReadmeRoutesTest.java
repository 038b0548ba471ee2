package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Route;
import org.parley.server.support.TestServer;

/**
 * The route tables in signaling-server/README.md against a started server and the {@link Route} enum, both ways:
 * every row is served, every route is documented.
 */
class ReadmeRoutesTest {

  // Surefire runs in the module's directory.
  private static final Path README = Path.of("README.md");
  private static final String CLIENT_REQUESTS = "## Wire protocol";
  private static final String PROVISIONING_PUSHES = "### Linking a device: the provisioning socket";
  private static final String DEVICE_PUSHES = "### Server → client requests over the WebSocket";
  /** A table row's first cell: "| `VERB /path` |". */
  private static final Pattern ROUTE_ROW = Pattern.compile("^\\| `([A-Z]+) (/[^` ]*)` \\|");

  private static TestServer server;
  private static String readme;

  @BeforeAll
  static void start() throws Exception {
    assertThat(README).as("run from the signaling-server module's directory").exists();
    readme = Files.readString(README);
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void clientRequestTableMatchesTheRouter() {
    List<String> rows = rows(CLIENT_REQUESTS);
    Set<String> documented = new TreeSet<>();
    for (String row : rows) {
      route(row, Route.Direction.TO_SERVER).ifPresent(route -> documented.add(row));
    }

    assertThat(documented).as("README rows the router does not register")
        .isSubsetOf(names(server.server().routes()));
    assertThat(names(server.server().routes())).as("registered routes missing from the README")
        .isSubsetOf(documented);
  }

  @Test
  void clientRequestTableListsTheUpgrades() {
    Set<String> documented = new TreeSet<>();
    for (String row : rows(CLIENT_REQUESTS)) {
      route(row, Route.Direction.UPGRADE).ifPresent(route -> documented.add(row));
    }

    assertThat(documented).containsExactlyInAnyOrderElementsOf(names(Route.of(Route.Direction.UPGRADE)));
  }

  /** Rows that are no {@link Route} are the transport's own endpoints (health, metrics): they must answer. */
  @Test
  void otherClientRequestRowsAreServed() {
    List<String> others = new ArrayList<>();
    for (String row : rows(CLIENT_REQUESTS)) {
      if (route(row, Route.Direction.TO_SERVER).isEmpty() && route(row, Route.Direction.UPGRADE).isEmpty()) {
        others.add(row);
      }
    }

    assertThat(others).isNotEmpty();
    for (String row : others) {
      String[] verbAndPath = row.split(" ", 2);
      int status = server.api.send(verbAndPath[0], verbAndPath[1], new byte[0], "text/plain", null).status();
      assertThat(status).as("README row %s is no Route; the server answers it with", row).isEqualTo(200);
    }
  }

  @Test
  void pushedRequestTablesMatchTheRoutes() {
    assertThat(rows(DEVICE_PUSHES)).as("the table under %s", DEVICE_PUSHES)
        .containsExactlyInAnyOrderElementsOf(names(Route.of(Route.Direction.TO_CLIENT)));
    assertThat(rows(PROVISIONING_PUSHES)).as("the table under %s", PROVISIONING_PUSHES)
        .containsExactlyInAnyOrderElementsOf(names(Route.of(Route.Direction.PROVISIONING)));
  }

  /** "VERB /path" of each route-table row in the section under {@code heading}, up to the next heading. */
  private static List<String> rows(String heading) {
    List<String> lines = readme.lines().toList();
    int start = lines.indexOf(heading);
    assertThat(start).as("README heading %s", heading).isNotNegative();
    List<String> rows = new ArrayList<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("#")) {
        break;
      }
      Matcher row = ROUTE_ROW.matcher(line);
      if (row.find()) {
        rows.add(row.group(1) + " " + row.group(2));
      }
    }
    assertThat(rows).as("route rows under %s", heading).isNotEmpty().doesNotHaveDuplicates();
    return rows;
  }

  private static Optional<Route> route(String row, Route.Direction direction) {
    return Route.of(direction).stream().filter(route -> name(route).equals(row)).findFirst();
  }

  private static Set<String> names(Collection<Route> routes) {
    Set<String> names = new TreeSet<>();
    routes.forEach(route -> names.add(name(route)));
    return names;
  }

  private static String name(Route route) {
    return route.verb() + " " + route.template();
  }
}
