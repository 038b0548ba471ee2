package org.parley.server.calls;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.parley.protocol.IceServer;
import org.parley.protocol.IceServers;
import org.parley.protocol.Route;
import org.parley.server.api.ApiException;
import org.parley.server.api.ApiResponse;
import org.parley.server.api.Router;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.turn.auth.RestApiCredentials;
import org.parley.turn.auth.TurnCredential;

/**
 * {@code GET /v1/calls/ice-servers}: the STUN/TURN URLs and short-lived TURN credentials minted with the TURN REST
 * API shared secret (coturn's {@code use-auth-secret}), so the embedded parley-turn or an external coturn can serve.
 */
public final class IceServersController {

  private final List<String> urls;
  private final String secret;
  private final Duration ttl;
  private final Clock clock;

  public IceServersController(List<String> urls, String secret, Duration ttl, Clock clock) {
    this.urls = List.copyOf(urls);
    this.secret = secret;
    this.ttl = ttl;
    this.clock = clock;
  }

  public void register(Router router) {
    router.add(Route.ICE_SERVERS, (request, params) -> {
      AuthenticatedDevice device = request.requireDevice();
      if (urls.isEmpty()) {
        throw new ApiException(503, "no_ice_servers", "This server has no STUN/TURN server configured");
      }
      TurnCredential credential = RestApiCredentials.mint(secret, device.accountId(), ttl, clock);
      return CompletableFuture.completedFuture(ApiResponse.ok(IceServers.newBuilder()
          .addServers(IceServer.newBuilder()
              .addAllUrls(urls)
              .setUsername(credential.username())
              .setCredential(credential.password()))
          .setExpiresAt(credential.expiresAt().toEpochMilli())
          .build()));
    });
  }
}
