package org.parley.turn.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.parley.turn.message.Crypto;

/**
 * Stateless, expiring nonces (RFC 8489 section 9.2: the server should limit a nonce's lifetime and answer 438 Stale
 * Nonce once it is past). A nonce is base64url(expiry seconds ‖ first 12 bytes of HMAC-SHA1(serverKey, expiry ‖
 * client IP)): it cannot be forged, is bound to the client's IP, and carries its own expiry, so nothing is stored
 * per client.
 */
public final class NonceManager {
  private final byte[] serverKey;
  private final Clock clock;
  private final Duration lifetime;

  public NonceManager(Clock clock, Duration lifetime) {
    this(randomKey(), clock, lifetime);
  }

  NonceManager(byte[] serverKey, Clock clock, Duration lifetime) {
    this.serverKey = serverKey.clone();
    this.clock = clock;
    this.lifetime = lifetime;
  }

  private static byte[] randomKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }

  /** A fresh nonce for this client IP (its string form, e.g. {@code 192.0.2.1}). */
  public String issue(String clientIp) {
    long expiry = clock.instant().plus(lifetime).getEpochSecond();
    byte[] mac = mac(expiry, clientIp);
    ByteBuffer b = ByteBuffer.allocate(8 + 12).putLong(expiry).put(mac, 0, 12);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /** The verdict on a nonce a client sent back. */
  public enum Verdict { VALID, STALE, INVALID }

  public Verdict check(String nonce, String clientIp) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(nonce);
    } catch (IllegalArgumentException e) {
      return Verdict.INVALID;
    }
    if (raw.length != 20) {
      return Verdict.INVALID;
    }
    long expiry = ByteBuffer.wrap(raw).getLong();
    byte[] expected = Arrays.copyOf(mac(expiry, clientIp), 12);
    if (!Crypto.constantTimeEquals(expected, Arrays.copyOfRange(raw, 8, 20))) {
      return Verdict.INVALID;
    }
    return clock.instant().getEpochSecond() < expiry ? Verdict.VALID : Verdict.STALE;
  }

  private byte[] mac(long expiry, String clientIp) {
    byte[] ip = clientIp.getBytes(StandardCharsets.UTF_8);
    byte[] data = ByteBuffer.allocate(8 + ip.length).putLong(expiry).put(ip).array();
    return Crypto.hmacSha1(serverKey, data, 0, data.length);
  }
}
