package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.CreateVerificationSessionRequest;
import org.parley.protocol.RegistrationLockFailure;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.SetRegistrationLockRequest;
import org.parley.protocol.VerificationSession;
import org.parley.server.api.ApiException;
import org.parley.server.ratelimit.RateLimiter;
import org.parley.server.registration.VerificationService;
import org.parley.server.storage.jdbc.Database;
import org.parley.server.storage.jdbc.JdbcVerificationSessions;
import org.parley.server.support.Api;
import org.parley.server.support.TestServer;

/**
 * Issue #17, finding 9: guessing SMS codes must not take a number over. Verification sessions of a number back off
 * exponentially, session limits count per network rather than per address, and an account can set a registration
 * lock (a PIN-derived token) without which its number cannot be registered again while it is in use.
 */
class RegistrationGuardTest {

  private static final String TOKEN = "0123456789abcdef".repeat(4);
  private static final String OTHER_TOKEN = "fedcba9876543210".repeat(4);

  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Api.Response startSession(String number) {
    return server.api.call("POST", "/v1/verification/session",
        CreateVerificationSessionRequest.newBuilder().setNumber(number).build(), null);
  }

  /** "200", "423" (its body is a RegistrationLockFailure, not an ErrorResponse), or the status and error code. */
  private String status(Api.Response response) {
    if (response.status() == 200 || response.status() == 423) {
      return Integer.toString(response.status());
    }
    return response.status() + " " + response.error().getCode();
  }

  @Test
  void sessionsOfOneNumberBackOffExponentiallyAndStartOverOnceRegistered() throws Exception {
    server = TestServer.start(Map.of("PARLEY_REGISTRATION_BACKOFF_BASE", "1m"));
    String number = "+15554440001";
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      first.add(status(startSession(number)));
    }
    assertThat(first).containsExactly("200", "200", "200", "429 rate_limited");
    assertThat(startSession(number).error().getRetryAfter()).isBetween(59L, 60L);

    server.clock.advance(Duration.ofSeconds(60));
    assertThat(status(startSession(number))).isEqualTo("200"); // 4th: after 1 minute
    server.clock.advance(Duration.ofSeconds(119));
    assertThat(status(startSession(number))).isEqualTo("429 rate_limited"); // 5th: after 2 minutes
    server.clock.advance(Duration.ofSeconds(1));
    assertThat(status(startSession(number))).isEqualTo("200");
    server.clock.advance(Duration.ofSeconds(239));
    assertThat(status(startSession(number))).isEqualTo("429 rate_limited"); // 6th: after 4 minutes

    // Another number is not held up by this one.
    assertThat(status(startSession("+15554440002"))).isEqualTo("200");

    // Registering makes the next session free again.
    server.clock.advance(Duration.ofSeconds(1));
    server.api.register(number);
    assertThat(status(startSession(number))).isEqualTo("200");
  }

  @Test
  void sessionLimitsCountPerNetworkNotPerAddress() throws Exception {
    List<String> codes = new ArrayList<>();
    try (Database database = Database.embeddedH2(Files.createTempDirectory("parley-guard"))) {
      sessionLimitsPerNetwork(new JdbcVerificationSessions(database), codes);
    }
  }

  private static void sessionLimitsPerNetwork(JdbcVerificationSessions sessions, List<String> codes)
      throws Exception {
    VerificationService verification = new VerificationService(sessions,
        (number, code) -> codes.add(code),
        Clock.systemUTC(), Duration.ofMinutes(10), 5,
        new RateLimiter("numbers", new RateLimiter.Limit(100, Duration.ofMinutes(1)), Clock.systemUTC()),
        new RateLimiter("networks", new RateLimiter.Limit(2, Duration.ofHours(1)), Clock.systemUTC()),
        Duration.ZERO, 3);
    verification.start("+15554440011", "203.0.113.7");
    verification.start("+15554440012", "203.0.113.200"); // another address, the same /24
    assertThatThrownBy(() -> verification.start("+15554440013", "203.0.113.99"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(429));
    verification.start("+15554440014", "203.0.114.1"); // the next /24 has its own allowance
    verification.start("+15554440015", "2001:db8:1:2::1");
    verification.start("+15554440016", "2001:db8:1:2:ffff::2"); // the same /64
    assertThatThrownBy(() -> verification.start("+15554440017", "2001:db8:1:2:abcd::3"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(429));
    assertThat(codes).hasSize(5); // a code went out for each session allowed, none for those refused
  }

  /** A verified session of {@code number}, ready for a registration request. */
  private String verifiedSession(String number) throws Exception {
    VerificationSession session = server.api.startSession(number);
    Api.Response verified = server.api.submitCode(session.getSessionId(), server.lastCode(number));
    assertThat(verified.status()).isEqualTo(200);
    return session.getSessionId();
  }

  private Api.Response register(String sessionId, String lockToken) {
    RegistrationRequest.Builder request = RegistrationRequest.newBuilder().setSessionId(sessionId)
        .setPassword("pw-" + UUID.randomUUID()).setRegistrationId(77).setDeviceName("thief");
    if (lockToken != null) {
      request.setRegistrationLock(lockToken);
    }
    return server.api.call("POST", "/v1/registration", request.build(), null);
  }

  @Test
  void aRegistrationLockKeepsTheNumberUntilThePinIsGivenOrTheAccountIsInactiveForAWeek() throws Exception {
    server = TestServer.start();
    String number = "+15554440021";
    Api.Device owner = server.api.register(number);
    assertThat(server.api.call("PUT", "/v1/accounts/registration-lock",
        SetRegistrationLockRequest.newBuilder().setToken(TOKEN).build(), owner).status()).isEqualTo(204);

    // The SMS code alone no longer registers the number; the session stays good for a try with the PIN.
    String session = verifiedSession(number);
    Api.Response noPin = register(session, null);
    assertThat(status(noPin)).isEqualTo("423");
    long remaining = noPin.as(RegistrationLockFailure.getDefaultInstance()).getTimeRemaining();
    assertThat(remaining).isBetween(Duration.ofDays(7).minusMinutes(1).toMillis(), Duration.ofDays(7).toMillis());
    assertThat(status(register(session, OTHER_TOKEN))).isEqualTo("423");
    assertThat(server.api.call("GET", "/v1/accounts/me", null, owner).status()).isEqualTo(200); // still the owner's

    Api.Response withPin = register(session, TOKEN);
    assertThat(withPin.status()).isEqualTo(200);
    assertThat(server.api.call("GET", "/v1/accounts/me", null, owner).status()).isEqualTo(401); // replaced

    // The lock stays with the account; after a week with no device active it lapses, and the new owner gets the
    // number without a lock.
    assertThat(status(register(verifiedSession(number), null))).isEqualTo("423");
    server.clock.advance(Duration.ofDays(7).plusMinutes(1));
    assertThat(register(verifiedSession(number), null).status()).isEqualTo(200);
    assertThat(register(verifiedSession(number), null).status()).isEqualTo(200);
  }

  @Test
  void pinGuessesAreLimitedPerNumberAndBadTokensRefused() throws Exception {
    server = TestServer.start(Map.of("PARLEY_RATE_LIMITS_REGISTRATION_LOCK_ATTEMPTS", "3/1d"));
    String number = "+15554440031";
    Api.Device owner = server.api.register(number);
    assertThat(status(server.api.call("PUT", "/v1/accounts/registration-lock",
        SetRegistrationLockRequest.newBuilder().setToken("1234").build(), owner))).isEqualTo("400 invalid_token");
    assertThat(server.api.call("PUT", "/v1/accounts/registration-lock",
        SetRegistrationLockRequest.newBuilder().setToken(TOKEN).build(), owner).status()).isEqualTo(204);

    String session = verifiedSession(number);
    List<String> guesses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      guesses.add(status(register(session, String.format("%064x", i))));
    }
    assertThat(guesses).containsExactly("423", "423",
        "423", "429 rate_limited");
    assertThat(status(register(session, TOKEN))).isEqualTo("429 rate_limited"); // even the right one, today

    // Removing the lock needs the account's own credentials; then the code alone works again.
    assertThat(server.api.call("DELETE", "/v1/accounts/registration-lock", null, null).status()).isEqualTo(401);
    assertThat(server.api.call("DELETE", "/v1/accounts/registration-lock", null, owner).status()).isEqualTo(204);
    assertThat(register(session, null).status()).isEqualTo(200);
  }
}
