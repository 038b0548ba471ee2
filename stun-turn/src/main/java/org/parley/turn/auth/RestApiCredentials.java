package org.parley.turn.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.parley.turn.message.Crypto;

/**
 * Time-limited credentials of the "TURN REST API" scheme that coturn implements as {@code use-auth-secret} with
 * {@code static-auth-secret}: the username is {@code <unix expiry time>:<user>} (or just the expiry time), and the
 * password is base64(HMAC-SHA1(secret, username)). A username whose expiry time has passed is refused. Several
 * secrets may be configured so a secret can be rotated; any one of them is accepted.
 */
public final class RestApiCredentials {
  private final List<String> secrets;
  private final Clock clock;
  private final char separator;

  public RestApiCredentials(List<String> secrets, Clock clock) {
    this(secrets, clock, ':');
  }

  public RestApiCredentials(List<String> secrets, Clock clock, char separator) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("use-auth-secret needs at least one static-auth-secret");
    }
    this.secrets = List.copyOf(secrets);
    this.clock = clock;
    this.separator = separator;
  }

  /** The password for a REST username: base64(HMAC-SHA1(secret, username)). */
  public static String password(String secret, String username) {
    byte[] u = username.getBytes(StandardCharsets.UTF_8);
    byte[] mac = Crypto.hmacSha1(secret.getBytes(StandardCharsets.UTF_8), u, 0, u.length);
    return Base64.getEncoder().encodeToString(mac);
  }

  /** Mints a credential for {@code user} valid for {@code ttl} from now, as the signaling server hands out. */
  public static TurnCredential mint(String secret, String user, Duration ttl, Clock clock) {
    Instant expiry = clock.instant().plus(ttl);
    String username = expiry.getEpochSecond() + ":" + user;
    return new TurnCredential(username, password(secret, username), expiry);
  }

  /** The expiry time encoded in a REST username, or empty if the username has no numeric timestamp. */
  Optional<Instant> expiryOf(String username) {
    int sep = username.indexOf(separator);
    String stamp = sep < 0 ? username : username.substring(0, sep);
    if (stamp.isEmpty() || stamp.length() > 18 || !stamp.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochSecond(Long.parseLong(stamp)));
  }

  /** Every candidate key, one per configured secret (for rotation), or empty if the username is invalid/expired. */
  public List<byte[]> candidateKeys(String username, String realm) {
    Optional<Instant> expiry = expiryOf(username);
    if (expiry.isEmpty() || !expiry.get().isAfter(clock.instant())) {
      return List.of();
    }
    return secrets.stream()
        .map(s -> LongTermKey.md5(username, realm, password(s, username)))
        .toList();
  }
}
