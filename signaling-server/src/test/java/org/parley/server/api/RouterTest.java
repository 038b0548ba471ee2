package org.parley.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Route;

class RouterTest {

  private static final Handler NO_CONTENT = (request, params) -> CompletableFuture.completedFuture(
      ApiResponse.noContent());

  private final Router router = new Router(Runnable::run);

  @Test
  void refusesARouteRegisteredTwice() {
    router.add(Route.COUNT_KEYS, NO_CONTENT);

    assertThatThrownBy(() -> router.add(Route.COUNT_KEYS, NO_CONTENT)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("COUNT_KEYS (GET /v1/keys/count) is registered twice");
    assertThatThrownBy(() -> router.addInline(Route.COUNT_KEYS, NO_CONTENT))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesRoutesTheServerDoesNotAnswer() {
    for (Route pushedOrUpgrade : List.of(Route.DELIVER_MESSAGE, Route.PROVISIONING_ADDRESS, Route.WEBSOCKET)) {
      assertThatThrownBy(() -> router.add(pushedOrUpgrade, NO_CONTENT))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(pushedOrUpgrade.direction() + ", not a request the router answers");
    }
    assertThat(router.routes()).isEmpty();
  }

  @Test
  void exposesTheRegisteredRoutesReadOnly() {
    router.add(Route.WHOAMI, NO_CONTENT).addInline(Route.SEND_MESSAGE, NO_CONTENT);

    assertThat(router.routes()).containsExactlyInAnyOrder(Route.WHOAMI, Route.SEND_MESSAGE);
    assertThatThrownBy(() -> router.routes().add(Route.POLL_MESSAGES))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void dispatchesByTheRoutesTemplate() {
    router.add(Route.GET_KEYS, (request, params) -> CompletableFuture.completedFuture(
        ApiResponse.raw(200, "text/plain", String.join("|", params).getBytes())));

    ApiResponse found = router.dispatch(request("GET", Route.GET_KEYS.path("+1555 0100", "*"))).join();
    ApiResponse wrongVerb = router.dispatch(request("PUT", Route.GET_KEYS.path("a", "1"))).join();
    ApiResponse unknown = router.dispatch(request("GET", "/v1/keys/a/1/extra")).join();

    assertThat(new String(found.rawBody())).isEqualTo("+1555 0100|*");
    assertThat(wrongVerb.status()).isEqualTo(405);
    assertThat(unknown.status()).isEqualTo(404);
  }

  private static ApiRequest request(String verb, String path) {
    return new ApiRequest(verb, path, Map.of(), Map.of(), new byte[0], "127.0.0.1", Optional.empty(),
        Optional.empty(), BodyCodec.Format.PROTOBUF);
  }
}
