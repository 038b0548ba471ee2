package org.parley.client.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Route;
import org.parley.protocol.WebSocketRequest;

/** Pushed requests reach the one handler of their route; anything else is answered 404. */
class PushRouterTest {

  private final List<String> seen = new ArrayList<>();

  private PushHandler answering(String name, int status) {
    return request -> {
      seen.add(name);
      return status;
    };
  }

  private static WebSocketRequest request(String verb, String path) {
    return WebSocketRequest.newBuilder().setId(1).setVerb(verb).setPath(path).build();
  }

  @Test
  void eachPushedRouteReachesItsHandler() {
    PushRouter router = PushRouter.builder()
        .on(Route.DELIVER_MESSAGE, answering("deliver", 0))
        .on(Route.QUEUE_EMPTY, answering("empty", 200))
        .on(Route.PRESENCE_CHANGED, answering("presence", 201))
        .build();

    assertThat(router.route(request("PUT", "/api/v1/message"))).isZero();
    assertThat(router.route(request("PUT", "/api/v1/queue/empty"))).isEqualTo(200);
    assertThat(router.route(request("PUT", "/api/v1/presence"))).isEqualTo(201);
    assertThat(seen).containsExactly("deliver", "empty", "presence");
    assertThat(router.routes()).containsExactlyInAnyOrder(Route.DELIVER_MESSAGE, Route.QUEUE_EMPTY,
        Route.PRESENCE_CHANGED);
  }

  @Test
  void unknownRequestsAndRoutesWithoutAHandlerAreAnswered404() {
    PushRouter router = PushRouter.builder().on(Route.DELIVER_MESSAGE, answering("deliver", 200)).build();

    assertThat(router.route(request("PUT", "/api/v1/unknown"))).isEqualTo(404);
    assertThat(router.route(request("GET", "/api/v1/message"))).isEqualTo(404);
    assertThat(router.route(request("PUT", "/api/v1/message/"))).isEqualTo(404);
    assertThat(router.route(request("PUT", "/api/v1/queue/empty"))).isEqualTo(404);
    // A route the client sends is not one the server pushes.
    assertThat(router.route(request("PUT", "/v1/keys"))).isEqualTo(404);
    assertThat(seen).isEmpty();
  }

  @Test
  void onlyPushedRoutesCanBeRegisteredAndEachOnce() {
    PushRouter.Builder builder = PushRouter.builder().on(Route.QUEUE_EMPTY, answering("empty", 200));
    assertThatThrownBy(() -> builder.on(Route.QUEUE_EMPTY, answering("again", 200)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("QUEUE_EMPTY already has a handler");
    assertThatThrownBy(() -> builder.on(Route.SEND_MESSAGE, answering("send", 200)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("SEND_MESSAGE is not pushed to clients (TO_SERVER)");
    assertThatThrownBy(() -> builder.on(Route.PROVISIONING_MESSAGE, answering("provisioning", 200)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PROVISIONING");
    assertThatThrownBy(() -> builder.on(Route.PRESENCE_CHANGED, null)).isInstanceOf(NullPointerException.class);
  }
}
