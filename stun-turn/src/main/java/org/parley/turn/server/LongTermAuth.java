package org.parley.turn.server;

import java.util.List;
import java.util.Optional;
import org.parley.turn.attribute.ErrorCode;
import org.parley.turn.attribute.MessageIntegrity;
import org.parley.turn.attribute.MessageIntegritySha256;
import org.parley.turn.attribute.Nonce;
import org.parley.turn.attribute.Realm;
import org.parley.turn.attribute.Username;
import org.parley.turn.auth.Authenticator;
import org.parley.turn.auth.NonceManager;
import org.parley.turn.message.StunMessage;
import org.parley.turn.stack.ClientEndpoint;

/**
 * The server side of the long-term credential mechanism, in the order of RFC 8489 section 9.2.4: no integrity →
 * 401 with REALM and NONCE; USERNAME, REALM or NONCE missing → 400; nonce expired → 438 with a new nonce; unknown
 * user or wrong HMAC → 401. Every TURN request is authenticated; there is no unauthenticated relaying.
 */
final class LongTermAuth {
  private final String realm;
  private final Authenticator authenticator;
  private final NonceManager nonces;
  private final Responses responses;
  private final TurnMetrics metrics;

  LongTermAuth(String realm, Authenticator authenticator, NonceManager nonces, Responses responses,
      TurnMetrics metrics) {
    this.realm = realm;
    this.authenticator = authenticator;
    this.nonces = nonces;
    this.responses = responses;
    this.metrics = metrics;
  }

  /** The credentials of an authentic request, or empty after the error response has been sent. */
  Optional<Responses.Credentials> authenticate(StunMessage request, ClientEndpoint from) {
    String ip = from.remote().getAddress().getHostAddress();
    boolean hasSha1 = request.get(MessageIntegrity.class).isPresent();
    boolean hasSha256 = request.get(MessageIntegritySha256.class).isPresent();
    if (!hasSha1 && !hasSha256) {
      metrics.authFailure("no_integrity");
      return challenge(request, from, ErrorCode.UNAUTHENTICATED, ip);
    }
    Optional<Username> username = request.get(Username.class);
    Optional<Realm> requestRealm = request.get(Realm.class);
    Optional<Nonce> nonce = request.get(Nonce.class);
    if (username.isEmpty() || requestRealm.isEmpty() || nonce.isEmpty()) {
      metrics.authFailure("missing_attribute");
      from.send(responses.error(request, ErrorCode.BAD_REQUEST, null));
      return Optional.empty();
    }
    NonceManager.Verdict verdict = nonces.check(nonce.get().value(), ip);
    if (verdict == NonceManager.Verdict.STALE) {
      metrics.authFailure("stale_nonce");
      return challenge(request, from, ErrorCode.STALE_NONCE, ip);
    }
    if (verdict == NonceManager.Verdict.INVALID || !realm.equals(requestRealm.get().value())) {
      // A nonce we never issued or a foreign realm: start over with fresh parameters.
      metrics.authFailure("bad_nonce_or_realm");
      return challenge(request, from, ErrorCode.UNAUTHENTICATED, ip);
    }
    String user = username.get().value();
    List<byte[]> keys = authenticator.candidateKeys(user, realm);
    for (byte[] key : keys) {
      boolean ok = hasSha256 ? request.verifyMessageIntegritySha256(key) : request.verifyMessageIntegrity(key);
      if (ok) {
        return Optional.of(new Responses.Credentials(user, key, hasSha256));
      }
    }
    metrics.authFailure(keys.isEmpty() ? "unknown_or_expired_user" : "bad_integrity");
    return challenge(request, from, ErrorCode.UNAUTHENTICATED, ip);
  }

  private Optional<Responses.Credentials> challenge(StunMessage request, ClientEndpoint from, int code, String ip) {
    from.send(responses.error(request, code, null, List.of(new Realm(realm), new Nonce(nonces.issue(ip)))));
    return Optional.empty();
  }
}
