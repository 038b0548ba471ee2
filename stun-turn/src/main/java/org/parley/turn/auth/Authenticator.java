package org.parley.turn.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the candidate long-term keys for a username: REST API credentials first (when {@code use-auth-secret} is
 * on and the name carries a timestamp), then static users. The request handler verifies MESSAGE-INTEGRITY with
 * each candidate; there is normally exactly one.
 */
public final class Authenticator {
  private final StaticUsers staticUsers;
  private final RestApiCredentials rest;

  /** {@code rest} may be null when use-auth-secret is off. */
  public Authenticator(StaticUsers staticUsers, RestApiCredentials rest) {
    this.staticUsers = staticUsers;
    this.rest = rest;
  }

  public List<byte[]> candidateKeys(String username, String realm) {
    List<byte[]> keys = new ArrayList<>(2);
    if (rest != null) {
      keys.addAll(rest.candidateKeys(username, realm));
    }
    staticUsers.longTermKey(username, realm).ifPresent(keys::add);
    return keys;
  }
}
