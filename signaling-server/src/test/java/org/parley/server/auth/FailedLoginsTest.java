package org.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.server.support.Api;
import org.parley.server.support.TestServer;

/**
 * Issue #17, finding 3: every wrong device password cost a slow hash on the request pool, so a few connections
 * guessing passwords slowed everyone's requests. Now a network's failed logins are limited (then 429, no hashing),
 * and a device that has logged in keeps working while its network is refused.
 */
class FailedLoginsTest {

  private static final int ALLOWANCE = 10;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of("PARLEY_RATE_LIMITS_FAILED_LOGINS_PER_NETWORK", ALLOWANCE + "/1h"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static long slowChecks() {
    String metrics = server.metrics();
    return metrics.lines().filter(l -> l.startsWith("parley_auth_slow_checks "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElseThrow();
  }

  @Test
  void wrongPasswordsFromOneNetworkAreRefusedBeforeHashingOnceItsAllowanceIsSpent() {
    Api.Device alice = server.api.register("+15557790001");
    Api.Device victim = server.api.register("+15557790002");
    assertThat(server.api.call("GET", "/v1/accounts/me", null, alice).status()).isEqualTo(200);

    long before = slowChecks();
    Api.Device guessing = new Api.Device(victim.accountId(), victim.deviceId(), "wrong-password-0123456789",
        victim.number(), victim.registrationId());
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 3 * ALLOWANCE; i++) {
      statuses.add(server.api.call("GET", "/v1/accounts/me", null, guessing).status());
    }
    assertThat(statuses.subList(0, ALLOWANCE)).containsOnly(401);
    assertThat(statuses.subList(ALLOWANCE, statuses.size())).containsOnly(429);
    Api.Response refused = server.api.call("GET", "/v1/accounts/me", null, guessing);
    assertThat(refused.raw().headers().firstValue("Retry-After")).isPresent();
    assertThat(refused.error().getMessage()).contains("failed logins from your network");
    assertThat(slowChecks() - before).as("slow hashes for %d guesses", 3 * ALLOWANCE + 1).isEqualTo(ALLOWANCE);

    // A device that has logged in is checked without the slow hash and is not refused with its network.
    assertThat(server.api.call("GET", "/v1/accounts/me", null, alice).status()).isEqualTo(200);
  }
}
