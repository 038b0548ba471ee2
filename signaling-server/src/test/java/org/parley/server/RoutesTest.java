package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.Route;
import org.parley.server.support.Api;
import org.parley.server.support.TestServer;

/** The {@link Route} enum and a started server agree: every request a client may send has a handler. */
class RoutesTest {

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyRouteTheClientsSendIsRegistered() {
    assertThat(server.server().routes()).containsExactlyInAnyOrderElementsOf(Route.of(Route.Direction.TO_SERVER));
  }

  @Test
  void everyRegisteredRouteIsReachedOverHttp() {
    for (Route route : server.server().routes()) {
      Api.Response answer = probe(route);

      // Without credentials or a body the handlers refuse, but with their own errors, not the router's.
      assertThat(answer.status()).as("%s %s", route.verb(), route.template()).isGreaterThanOrEqualTo(400);
      assertThat(answer.error().getCode()).as("%s %s", route.verb(), route.template())
          .isNotIn("no_such_endpoint", "method_not_allowed");
    }
  }

  @Test
  void upgradeRoutesOpenSocketsOnlyForUpgradeRequests() {
    for (Route route : Route.of(Route.Direction.UPGRADE)) {
      Api.Response plain = probe(route);

      assertThat(plain.status()).as("%s", route).isEqualTo(400);
      ErrorResponse error = plain.error();
      assertThat(error.getCode()).isEqualTo("websocket_required");
      assertThat(error.getMessage()).startsWith(route.template() + " needs a WebSocket upgrade request");
    }
  }

  /** One unauthenticated request with an empty body to the route, every placeholder filled. */
  private static Api.Response probe(Route route) {
    Object[] parameters = new Object[placeholders(route)];
    Arrays.fill(parameters, "1");
    return server.api.send(route.verb(), route.path(parameters), new byte[0], "application/x-protobuf", null);
  }

  private static int placeholders(Route route) {
    return (int) route.template().chars().filter(c -> c == '{').count();
  }
}
