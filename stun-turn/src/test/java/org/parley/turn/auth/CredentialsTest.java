package org.parley.turn.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.testing.TestClock;

class CredentialsTest {
  private final TestClock clock = TestClock.fixedAt(Instant.ofEpochSecond(1_699_999_000L));

  @Test
  void longTermKeyIsMd5OfUserRealmPassword() {
    // echo -n 'alice:parley:secret' | md5sum
    assertThat(HexFormat.of().formatHex(LongTermKey.md5("alice", "parley", "secret")))
        .isEqualTo("59913223d2ac357cd677cb12a87e7b71");
  }

  @Test
  void staticUsers() {
    StaticUsers users = StaticUsers.parse(List.of("alice:secret", "bob:pa:ss",
        "carol:0x59913223d2ac357cd677cb12a87e7b71"));
    assertThat(users.longTermKey("alice", "parley")).hasValueSatisfying(
        k -> assertThat(k).isEqualTo(LongTermKey.md5("alice", "parley", "secret")));
    assertThat(users.longTermKey("bob", "parley")).hasValueSatisfying(
        k -> assertThat(k).isEqualTo(LongTermKey.md5("bob", "parley", "pa:ss")));
    assertThat(users.longTermKey("carol", "parley")).hasValueSatisfying(
        k -> assertThat(HexFormat.of().formatHex(k)).isEqualTo("59913223d2ac357cd677cb12a87e7b71"));
    assertThat(users.longTermKey("mallory", "parley")).isEmpty();
    assertThatThrownBy(() -> StaticUsers.parse(List.of("nopassword"))).hasMessageContaining("name:password");
    assertThatThrownBy(() -> StaticUsers.parse(List.of(":x"))).hasMessageContaining("name:password");
  }

  @Test
  void restPasswordIsBase64OfHmacSha1OfTheUsername() {
    // printf '1700000000:alice' | openssl dgst -sha1 -hmac 's3cret' -binary | base64
    assertThat(RestApiCredentials.password("s3cret", "1700000000:alice")).isEqualTo("TtElzSjT0GdnTQ9xdcRNxx96yQs=");
  }

  @Test
  void restCredentialsAreAcceptedUntilExpiry() {
    RestApiCredentials rest = new RestApiCredentials(List.of("s3cret"), clock);
    String password = RestApiCredentials.password("s3cret", "1700000000:alice");
    assertThat(rest.candidateKeys("1700000000:alice", "parley"))
        .containsExactly(LongTermKey.md5("1700000000:alice", "parley", password));
    assertThat(rest.candidateKeys("1700000000", "parley")).hasSize(1); // the timestamp alone is a valid name too

    clock.advance(Duration.ofSeconds(1000)); // now == expiry: refused
    assertThat(rest.candidateKeys("1700000000:alice", "parley")).isEmpty();
  }

  @Test
  void restCredentialsWithoutATimestampAreNotRestCredentials() {
    RestApiCredentials rest = new RestApiCredentials(List.of("s3cret"), clock);
    assertThat(rest.candidateKeys("alice", "parley")).isEmpty();
    assertThat(rest.candidateKeys("17000x:alice", "parley")).isEmpty();
    assertThat(rest.candidateKeys(":alice", "parley")).isEmpty();
  }

  @Test
  void everySecretIsACandidateForRotation() {
    RestApiCredentials rest = new RestApiCredentials(List.of("old", "new"), clock);
    assertThat(rest.candidateKeys("1700000000:alice", "parley")).hasSize(2);
  }

  @Test
  void mintedCredentialsVerify() {
    TurnCredential c = RestApiCredentials.mint("s3cret", "alice", Duration.ofHours(1), clock);
    assertThat(c.username()).isEqualTo((1_699_999_000L + 3600) + ":alice");
    assertThat(c.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    assertThat(c.password()).isEqualTo(RestApiCredentials.password("s3cret", c.username()));
    Authenticator auth = new Authenticator(StaticUsers.parse(List.of()), new RestApiCredentials(List.of("s3cret"),
        clock));
    assertThat(auth.candidateKeys(c.username(), "r"))
        .containsExactly(LongTermKey.md5(c.username(), "r", c.password()));
  }

  @Test
  void noncesExpireAndAreBoundToTheClientIp() {
    NonceManager nonces = new NonceManager(clock, Duration.ofSeconds(600));
    String n = nonces.issue("192.0.2.1");
    assertThat(n.length()).isLessThan(128);
    assertThat(nonces.check(n, "192.0.2.1")).isEqualTo(NonceManager.Verdict.VALID);
    assertThat(nonces.check(n, "192.0.2.2")).isEqualTo(NonceManager.Verdict.INVALID);
    assertThat(nonces.check("garbage!", "192.0.2.1")).isEqualTo(NonceManager.Verdict.INVALID);
    assertThat(nonces.check(n.substring(1), "192.0.2.1")).isEqualTo(NonceManager.Verdict.INVALID);
    clock.advance(Duration.ofSeconds(599));
    assertThat(nonces.check(n, "192.0.2.1")).isEqualTo(NonceManager.Verdict.VALID);
    clock.advance(Duration.ofSeconds(1));
    assertThat(nonces.check(n, "192.0.2.1")).isEqualTo(NonceManager.Verdict.STALE);
    // another server instance (another key) does not accept it
    assertThat(new NonceManager(clock, Duration.ofSeconds(600)).check(nonces.issue("192.0.2.1"), "192.0.2.1"))
        .isEqualTo(NonceManager.Verdict.INVALID);
  }
}
