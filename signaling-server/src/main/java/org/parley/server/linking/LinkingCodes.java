package org.parley.server.linking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.parley.server.api.ApiException;
import org.parley.server.storage.LinkingCodeStore;

/**
 * Single-use linking codes: 32 random bytes, remembered only as their SHA-256 with the account they link to and when
 * they expire, in the {@link LinkingCodeStore} every server of a cluster shares (ADR 0151).
 */
public final class LinkingCodes {

  /** What a code stands for. */
  public record Issued(String code, String accountId, long expiresAt) {}

  private final LinkingCodeStore store;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final Duration lifetime;

  public LinkingCodes(LinkingCodeStore store, Clock clock, Duration lifetime) {
    this.store = store;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  public Issued issue(String accountId) {
    long now = clock.millis();
    store.deleteExpired(now);
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    long expiresAt = now + lifetime.toMillis();
    store.put(hash(code), new LinkingCodeStore.Entry(accountId, expiresAt));
    return new Issued(code, accountId, expiresAt);
  }

  /** The account a valid code links to, without using it up (checks that may still fail come before consume). */
  public String check(String code) throws ApiException {
    LinkingCodeStore.Entry entry = code == null || code.isEmpty() ? null : store.find(hash(code)).orElse(null);
    if (entry == null) {
      throw new ApiException(403, "invalid_linking_code", "The linking code is unknown or has been used already");
    }
    if (clock.millis() >= entry.expiresAt()) {
      store.delete(hash(code));
      throw new ApiException(410, "linking_code_expired", "The linking code has expired; ask the primary device for"
          + " a new one");
    }
    return entry.accountId();
  }

  /** Uses the code up; exactly one of concurrent callers gets true. */
  public boolean consume(String code) {
    return store.consume(hash(code), clock.millis());
  }

  private static String hash(String code) {
    try {
      return Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
