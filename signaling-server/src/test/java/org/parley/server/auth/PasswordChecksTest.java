package org.parley.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.server.api.ApiException;

/** Issue #17, finding 3: strangers' password guesses must not queue in front of a real device's login. */
class PasswordChecksTest {

  @Test
  void aFullStrangerLaneRefusesAtOnceAndDoesNotDelayKnownDevices() {
    // Strangers' hashes are slow (200,000 iterations); the device's is cheap, so any delay would come from waiting.
    PasswordHasher slow = new PasswordHasher(200_000);
    PasswordHasher cheap = new PasswordHasher(1_000);
    String strangerTarget = slow.hash("the real password of someone");
    String device = cheap.hash("device password 0123456789");
    try (PasswordChecks checks = new PasswordChecks(cheap, 1, 8, 2)) {
      List<CompletableFuture<Boolean>> guesses = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        guesses.add(checks.verify("guess " + i, strangerTarget, PasswordChecks.Lane.STRANGER));
      }
      // one running + two waiting; the other seven are refused without hashing
      long refused = guesses.stream().filter(CompletableFuture::isCompletedExceptionally).count();
      assertThat(refused).isEqualTo(7);
      CompletionException busy = guesses.stream().filter(CompletableFuture::isCompletedExceptionally).findFirst()
          .map(f -> {
            try {
              f.join();
              return null;
            } catch (CompletionException e) {
              return e;
            }
          }).orElseThrow();
      assertThat(busy.getCause()).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));

      boolean accepted = checks.verify("device password 0123456789", device, PasswordChecks.Lane.KNOWN_DEVICE)
          .orTimeout(30, TimeUnit.SECONDS).join();
      assertThat(accepted).isTrue();
      assertThat(guesses.stream().filter(f -> !f.isDone()).count())
          .as("the device's check finished while strangers' guesses were still queued or running")
          .isPositive();
      guesses.forEach(f -> f.exceptionally(e -> false).join());
      assertThat(checks.slowChecks()).isEqualTo(4); // three guesses and the device, nothing for the refused
    }
  }

  @Test
  void networksAreIpv4SlashTwentyFourAndIpv6SlashSixtyFour() {
    assertThat(NetworkKey.of("203.0.113.77")).isEqualTo("203.0.113.0/24");
    assertThat(NetworkKey.of("203.0.113.1")).isEqualTo(NetworkKey.of("203.0.113.254"));
    assertThat(NetworkKey.of("2001:db8:1:2:aaaa::1")).isEqualTo("2001:db8:1:2::/64");
    assertThat(NetworkKey.of("2001:db8:1:2:ffff::9")).isEqualTo(NetworkKey.of("2001:db8:1:2::1"));
    assertThat(NetworkKey.of("2001:db8:1:3::1")).isNotEqualTo(NetworkKey.of("2001:db8:1:2::1"));
    assertThat(NetworkKey.of("fe80::1%eth0")).isEqualTo("fe80:0:0:0::/64");
    assertThat(NetworkKey.of("not-an-address.example")).isEqualTo("not-an-address.example"); // never resolved
  }
}
