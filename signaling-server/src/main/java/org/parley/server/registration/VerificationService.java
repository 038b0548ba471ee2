package org.parley.server.registration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.UUID;
import org.parley.server.api.ApiException;
import org.parley.server.auth.NetworkKey;
import org.parley.server.ratelimit.RateLimiter;
import org.parley.server.storage.VerificationSessions;
import org.parley.server.storage.VerificationSessions.Session;

/**
 * Verification sessions: a 6-digit code per session, sent by SMS, valid for a limited time and a limited number of
 * wrong tries. A verified session can be used for one registration. Sessions are in the {@link VerificationSessions}
 * store, so in a cluster any server can finish a session another started, and the tries count once (ADR 0151).
 */
public final class VerificationService {

  /** What a client sees of a session. */
  public record SessionView(String sessionId, String number, boolean verified, long expiresAt, int remainingAttempts) {}

  private final VerificationSessions sessions;
  private final SmsSender sms;
  private final Clock clock;
  private final Duration codeLifetime;
  private final int maxAttempts;
  private final RateLimiter perNumber;
  private final RateLimiter perNetwork;
  private final VerificationBackoff backoff;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param perNetwork keyed by the client's network (IPv4 /24, IPv6 /64), not its address: one attacker holds many
   *     addresses of one network
   * @param backoffBase the wait after the free sessions of a number, doubled for each further one
   * @param freeSessions sessions per number without a wait
   */
  public VerificationService(VerificationSessions sessions, SmsSender sms, Clock clock, Duration codeLifetime,
      int maxAttempts, RateLimiter perNumber, RateLimiter perNetwork, Duration backoffBase, int freeSessions) {
    this.sessions = sessions;
    this.sms = sms;
    this.clock = clock;
    this.codeLifetime = codeLifetime;
    this.maxAttempts = maxAttempts;
    this.perNumber = perNumber;
    this.perNetwork = perNetwork;
    this.backoff = new VerificationBackoff(sessions, backoffBase, freeSessions, clock);
  }

  public SessionView start(String rawNumber, String remoteAddress) throws ApiException {
    String number = PhoneNumbers.requireE164(rawNumber);
    perNetwork.check(NetworkKey.of(remoteAddress));
    perNumber.check(number);
    long now = clock.millis();
    // What a stranger can make the store hold is bounded by the rate limits above and by these expiries.
    sessions.deleteExpired(now, now - VerificationBackoff.FORGET_AFTER.toMillis());
    backoff.start(number);
    String code = String.format("%06d", random.nextInt(1_000_000));
    Session session = new Session(UUID.randomUUID().toString(), number, code, now + codeLifetime.toMillis(),
        maxAttempts, false);
    try {
      sms.send(number, code);
    } catch (SmsSender.SmsException e) {
      throw new ApiException(502, "sms_failed", "Could not send the verification code: " + e.getMessage());
    }
    sessions.create(session);
    return view(session);
  }

  public SessionView submitCode(String sessionId, String code) throws ApiException {
    Session session = live(sessionId);
    if (session.verified()) {
      return view(session);
    }
    if (session.remainingAttempts() <= 0) {
      throw new ApiException(410, "too_many_attempts", "Too many wrong codes; start a new verification session");
    }
    if (code != null && MessageDigest.isEqual(code.getBytes(StandardCharsets.UTF_8),
        session.code().getBytes(StandardCharsets.UTF_8))) {
      if (sessions.markVerified(sessionId)) {
        return view(live(sessionId));
      }
      // Another server spent the last try (or verified it) in the meantime.
      Session now = live(sessionId);
      if (now.verified()) {
        return view(now);
      }
      throw new ApiException(410, "too_many_attempts", "Too many wrong codes; start a new verification session");
    }
    OptionalInt left = sessions.spendAttempt(sessionId);
    if (left.isEmpty()) {
      Session now = live(sessionId);
      if (now.verified()) {
        return view(now);
      }
      throw new ApiException(410, "too_many_attempts", "Too many wrong codes; start a new verification session");
    }
    int remaining = left.getAsInt();
    if (remaining == 0) {
      sessions.delete(sessionId);
      throw new ApiException(410, "too_many_attempts", "Wrong code; that was the last try for this session");
    }
    throw new ApiException(403, "wrong_code",
        "Wrong code; " + remaining + " tr" + (remaining == 1 ? "y" : "ies") + " left");
  }

  public SessionView get(String sessionId) throws ApiException {
    return view(live(sessionId));
  }

  /** The number of a session verified with its code, which stays usable (a registration lock may need a PIN). */
  public String verifiedNumber(String sessionId) throws ApiException {
    Session session = live(sessionId);
    if (!session.verified()) {
      throw new ApiException(403, "not_verified", "The verification session has not been verified with its code");
    }
    return session.number();
  }

  /** The number registered: its next verification session comes without a wait. */
  public void registered(String number) {
    backoff.forget(number);
  }

  /** Uses up a verified session and returns its number; a session registers at most once. */
  public String consumeVerified(String sessionId) throws ApiException {
    Session session = live(sessionId);
    if (!session.verified()) {
      throw new ApiException(403, "not_verified", "The verification session has not been verified with its code");
    }
    if (!sessions.consumeVerified(sessionId)) {
      throw ApiException.notFound("no_such_session", "Verification session already used");
    }
    return session.number();
  }

  private Session live(String sessionId) throws ApiException {
    Session session = sessionId == null || sessionId.length() > 64 ? null : sessions.find(sessionId).orElse(null);
    if (session == null) {
      throw ApiException.notFound("no_such_session", "No such verification session");
    }
    if (clock.millis() >= session.expiresAt()) {
      sessions.delete(sessionId);
      throw new ApiException(410, "session_expired", "The verification code expired; start a new session");
    }
    return session;
  }

  private static SessionView view(Session s) {
    return new SessionView(s.id(), s.number(), s.verified(), s.expiresAt(), s.remainingAttempts());
  }
}
