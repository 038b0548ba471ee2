package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.RegistrationResponse;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.VerificationSession;
import org.parley.protocol.WhoAmIResponse;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.support.Api;
import org.parley.server.support.TestServer;
import org.parley.server.support.WsClient;

class RegistrationTest {

  private TestServer server;
  private Api api;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    api = server.api;
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void registersWithTheCodeFromTheSmsOutbox() throws Exception {
    VerificationSession session = api.startSession("+15551230001");
    assertThat(session.getVerified()).isFalse();
    assertThat(session.getRemainingAttempts()).isEqualTo(5);
    String code = server.lastCode("+15551230001");
    assertThat(code).matches("[0-9]{6}");

    Api.Response verified = api.submitCode(session.getSessionId(), code);
    assertThat(verified.status()).isEqualTo(200);
    assertThat(verified.as(VerificationSession.getDefaultInstance()).getVerified()).isTrue();

    Api.Response registered = api.registerWithSession(session.getSessionId(), "a-long-device-password", 42);
    assertThat(registered.status()).isEqualTo(200);
    RegistrationResponse account = registered.as(RegistrationResponse.getDefaultInstance());
    assertThat(account.getAccountId()).matches("[0-9a-f-]{36}");
    assertThat(account.getDeviceId()).isEqualTo(1);
    assertThat(account.getReregistered()).isFalse();

    Api.Device device = new Api.Device(account.getAccountId(), 1, "a-long-device-password", "+15551230001", 42);
    Api.Response me = api.call("GET", "/v1/accounts/me", null, device);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.as(WhoAmIResponse.getDefaultInstance()).getNumber()).isEqualTo("+15551230001");
  }

  @Test
  void jsonWorksAsWellAsProtobuf() {
    Api.Response r = api.send("POST", "/v1/verification/session",
        "{\"number\":\"+15551230002\"}".getBytes(), "application/json", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.raw().headers().firstValue("content-type")).contains("application/json");
    assertThat(r.text()).contains("\"number\":\"+15551230002\"").contains("\"sessionId\"");
  }

  @Test
  void refusesNumbersThatAreNotE164() {
    for (String bad : List.of("", "5551234567", "+0123456789", "+1555abc4567", "+1234567890123456")) {
      Api.Response r = api.send("POST", "/v1/verification/session",
          ("{\"number\":\"" + bad + "\"}").getBytes(), "application/json", null);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.text()).contains("invalid_number").contains("E.164");
    }
  }

  @Test
  void wrongCodesCountDownThenEndTheSession() throws Exception {
    VerificationSession session = api.startSession("+15551230003");
    String right = server.lastCode("+15551230003");
    String wrong = right.equals("000000") ? "111111" : "000000";
    for (int left = 4; left >= 1; left--) {
      Api.Response r = api.submitCode(session.getSessionId(), wrong);
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.error().getCode()).isEqualTo("wrong_code");
      assertThat(r.error().getMessage()).contains(left + " tr");
    }
    Api.Response fifth = api.submitCode(session.getSessionId(), wrong);
    assertThat(fifth.status()).isEqualTo(410);
    assertThat(fifth.error().getCode()).isEqualTo("too_many_attempts");
    // Even the right code no longer works.
    assertThat(api.submitCode(session.getSessionId(), right).status()).isEqualTo(404);
  }

  @Test
  void codesExpireAfterTenMinutes() throws Exception {
    VerificationSession session = api.startSession("+15551230004");
    String code = server.lastCode("+15551230004");
    server.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
    Api.Response r = api.submitCode(session.getSessionId(), code);
    assertThat(r.status()).isEqualTo(410);
    assertThat(r.error().getCode()).isEqualTo("session_expired");
  }

  @Test
  void registrationNeedsAVerifiedSessionAndUsesItOnce() throws Exception {
    VerificationSession session = api.startSession("+15551230005");
    Api.Response early = api.registerWithSession(session.getSessionId(), "a-long-device-password", 7);
    assertThat(early.status()).isEqualTo(403);
    assertThat(early.error().getCode()).isEqualTo("not_verified");

    api.submitCode(session.getSessionId(), server.lastCode("+15551230005"));
    assertThat(api.registerWithSession(session.getSessionId(), "short", 7).error().getCode())
        .isEqualTo("invalid_password");
    assertThat(api.registerWithSession(session.getSessionId(), "a-long-device-password", 0).error().getCode())
        .isEqualTo("invalid_registration_id");
    assertThat(api.registerWithSession(session.getSessionId(), "a-long-device-password", 7).status()).isEqualTo(200);
    Api.Response again = api.registerWithSession(session.getSessionId(), "a-long-device-password", 7);
    assertThat(again.status()).isEqualTo(404);
  }

  @Test
  void registeringAgainReplacesTheDevicesAndDropsTheirQueues() throws Exception {
    Api.Device alice = api.register("+15551230006");
    Api.Device bob = api.register("+15551230007");
    send(bob, alice, "queued for the old device");
    assertThat(server.queue().depth(new DeviceAddress(alice.accountId(), 1))).isEqualTo(1);
    try (WsClient oldConnection = WsClient.connect(server.webSocketUri(), bob)) {
      WsClient aliceOld = WsClient.connect(server.webSocketUri(), alice);
      aliceOld.nextDelivery(Duration.ofSeconds(10)); // delivered, not acknowledged

      Api.Device aliceNew = api.register("+15551230006");
      assertThat(aliceNew.accountId()).isEqualTo(alice.accountId());

      assertThat(aliceOld.awaitClose().code()).isEqualTo(4401);
      assertThat(api.call("GET", "/v1/accounts/me", null, alice).status()).isEqualTo(401);
      assertThat(api.call("GET", "/v1/accounts/me", null, aliceNew).status()).isEqualTo(200);
      assertThat(server.queue().depth(new DeviceAddress(alice.accountId(), 1))).isZero();
    }
  }

  @Test
  void racingRegistrationsOfOneNumberLeaveOneAccount() throws Exception {
    String number = "+15551230008";
    VerificationSession first = api.startSession(number);
    api.submitCode(first.getSessionId(), server.lastCode(number));
    VerificationSession second = api.startSession(number);
    api.submitCode(second.getSessionId(), server.lastCode(number));

    CompletableFuture<Api.Response> a =
        CompletableFuture.supplyAsync(() -> api.registerWithSession(first.getSessionId(), "first-device-password", 1));
    CompletableFuture<Api.Response> b =
        CompletableFuture.supplyAsync(() -> api.registerWithSession(second.getSessionId(), "second-device-password", 2));
    RegistrationResponse ra = a.join().as(RegistrationResponse.getDefaultInstance());
    RegistrationResponse rb = b.join().as(RegistrationResponse.getDefaultInstance());
    assertThat(a.join().status()).isEqualTo(200);
    assertThat(b.join().status()).isEqualTo(200);
    assertThat(ra.getAccountId()).isEqualTo(rb.getAccountId());
    assertThat(ra.getReregistered() ^ rb.getReregistered()).as("exactly one replaced the other").isTrue();
    // Exactly one password works now: the later registration's.
    int ok = 0;
    for (String pw : List.of("first-device-password", "second-device-password")) {
      Api.Device d = new Api.Device(ra.getAccountId(), 1, pw, number, 0);
      if (api.call("GET", "/v1/accounts/me", null, d).status() == 200) {
        ok++;
      }
    }
    assertThat(ok).isEqualTo(1);
  }

  @Test
  void rateLimitsPerNumberAndPerAddressAnswer429WithRetryAfter() throws Exception {
    try (TestServer limited = TestServer.start(Map.of(
        "PARLEY_RATE_LIMITS_SESSIONS_PER_NUMBER", "2/10m",
        "PARLEY_RATE_LIMITS_SESSIONS_PER_IP", "4/1h"))) {
      limited.api.startSession("+15551230010");
      limited.api.startSession("+15551230010");
      Api.Response third = limited.api.send("POST", "/v1/verification/session",
          "{\"number\":\"+15551230010\"}".getBytes(), "application/json", null);
      assertThat(third.status()).isEqualTo(429);
      long retryAfter = Long.parseLong(third.raw().headers().firstValue("retry-after").orElseThrow());
      assertThat(retryAfter).isBetween(1L, 300L);
      assertThat(third.text()).contains("rate_limited");

      // Another number from the same address: the per-address bucket (4/h) still has one left after the 3 above.
      limited.api.startSession("+15551230011");
      Api.Response fifth = limited.api.send("POST", "/v1/verification/session",
          "{\"number\":\"+15551230012\"}".getBytes(), "application/json", null);
      assertThat(fifth.status()).isEqualTo(429);
      assertThat(Long.parseLong(fifth.raw().headers().firstValue("retry-after").orElseThrow())).isGreaterThan(60);

      // Time refills the buckets.
      limited.clock.advance(Duration.ofHours(1));
      assertThat(limited.api.startSession("+15551230010").getNumber()).isEqualTo("+15551230010");
    }
  }

  private void send(Api.Device from, Api.Device to, String text) {
    Api.Response r = api.call("PUT", "/v1/messages/" + to.accountId(), SendMessageRequest.newBuilder()
        .setTimestamp(System.currentTimeMillis())
        .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
            .setDestinationRegistrationId(to.registrationId()).setContent(WsClient.bytes(text)))
        .build(), from);
    assertThat(r.status()).isEqualTo(200);
  }
}
