package org.parley.turn.auth;

import java.util.Optional;

/** Looks up the long-term key of a user (RFC 8489 section 9.2). */
public interface CredentialStore {
  /**
   * The key MD5(username:realm:password) for this user, or empty when the user is unknown, expired or refused.
   * Must be thread-safe.
   */
  Optional<byte[]> longTermKey(String username, String realm);
}
