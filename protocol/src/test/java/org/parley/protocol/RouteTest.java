package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTest {

  @Test
  void fillsPlaceholdersWithEncodedSegments() {
    assertThat(Route.LOOK_UP_NUMBER.path("+15550001111")).isEqualTo("/v1/accounts/number/%2B15550001111");
    assertThat(Route.GET_KEYS.path("a/b c", 2)).isEqualTo("/v1/keys/a%2Fb%20c/2");
    assertThat(Route.SUBMIT_VERIFICATION_CODE.path("s1")).isEqualTo("/v1/verification/session/s1/code");
    assertThat(Route.COUNT_KEYS.path()).isEqualTo("/v1/keys/count");
  }

  @Test
  void refusesTheWrongNumberOfParameters() {
    assertThatThrownBy(() -> Route.GET_KEYS.path("only-one")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("takes 2 parameter(s), not 1");
    assertThatThrownBy(() -> Route.COUNT_KEYS.path("x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void findsPushedRoutesByExactPath() {
    assertThat(Route.pushed(Route.Direction.TO_CLIENT, "PUT", "/api/v1/message")).contains(Route.DELIVER_MESSAGE);
    assertThat(Route.pushed(Route.Direction.TO_CLIENT, "GET", "/api/v1/message")).isEmpty();
    assertThat(Route.pushed(Route.Direction.PROVISIONING, "PUT", "/api/v1/message")).isEmpty();
    assertThat(Route.pushed(Route.Direction.PROVISIONING, "PUT", "/v1/message")).contains(Route.PROVISIONING_MESSAGE);
  }

  @Test
  void everyVerbAndTemplateIsUniqueWithinADirection() {
    Set<String> seen = new HashSet<>();
    for (Route route : Route.values()) {
      assertThat(seen.add(route.direction() + " " + route.verb() + " " + route.template()))
          .as("%s is declared twice", route).isTrue();
      assertThat(route.template()).startsWith("/");
    }
  }
}
