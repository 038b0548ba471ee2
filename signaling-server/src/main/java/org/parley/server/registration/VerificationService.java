package org.parley.server.registration;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.server.api.ApiException;
import org.parley.server.auth.NetworkKey;
import org.parley.server.ratelimit.RateLimiter;

/**
 * Verification sessions: a 6-digit code per session, sent by SMS, valid for a limited time and a limited number of
 * wrong tries. A verified session can be used for one registration.
 */
public final class VerificationService {

  /** What a client sees of a session. */
  public record SessionView(String sessionId, String number, boolean verified, long expiresAt, int remainingAttempts) {}

  private static final class Session {
    final String id;
    final String number;
    final String code;
    final long expiresAt;
    int remainingAttempts;
    boolean verified;

    Session(String id, String number, String code, long expiresAt, int attempts) {
      this.id = id;
      this.number = number;
      this.code = code;
      this.expiresAt = expiresAt;
      this.remainingAttempts = attempts;
    }

    SessionView view() {
      return new SessionView(id, number, verified, expiresAt, remainingAttempts);
    }
  }

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
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
  public VerificationService(SmsSender sms, Clock clock, Duration codeLifetime, int maxAttempts,
      RateLimiter perNumber, RateLimiter perNetwork, Duration backoffBase, int freeSessions) {
    this.sms = sms;
    this.clock = clock;
    this.codeLifetime = codeLifetime;
    this.maxAttempts = maxAttempts;
    this.perNumber = perNumber;
    this.perNetwork = perNetwork;
    this.backoff = new VerificationBackoff(backoffBase, freeSessions, clock);
  }

  public SessionView start(String rawNumber, String remoteAddress) throws ApiException {
    String number = PhoneNumbers.requireE164(rawNumber);
    perNetwork.check(NetworkKey.of(remoteAddress));
    perNumber.check(number);
    backoff.start(number);
    sweepExpired();
    String code = String.format("%06d", random.nextInt(1_000_000));
    Session session = new Session(UUID.randomUUID().toString(), number, code,
        clock.millis() + codeLifetime.toMillis(), maxAttempts);
    try {
      sms.send(number, code);
    } catch (SmsSender.SmsException e) {
      throw new ApiException(502, "sms_failed", "Could not send the verification code: " + e.getMessage());
    }
    sessions.put(session.id, session);
    return session.view();
  }

  public SessionView submitCode(String sessionId, String code) throws ApiException {
    Session session = live(sessionId);
    synchronized (session) {
      if (session.verified) {
        return session.view();
      }
      if (session.remainingAttempts <= 0) {
        throw new ApiException(410, "too_many_attempts", "Too many wrong codes; start a new verification session");
      }
      if (code != null && MessageDigest.isEqual(code.getBytes(), session.code.getBytes())) {
        session.verified = true;
        return session.view();
      }
      session.remainingAttempts--;
      if (session.remainingAttempts == 0) {
        sessions.remove(sessionId);
        throw new ApiException(410, "too_many_attempts", "Wrong code; that was the last try for this session");
      }
      throw new ApiException(403, "wrong_code",
          "Wrong code; " + session.remainingAttempts + " tr" + (session.remainingAttempts == 1 ? "y" : "ies") + " left");
    }
  }

  public SessionView get(String sessionId) throws ApiException {
    return live(sessionId).view();
  }

  /** The number of a session verified with its code, which stays usable (a registration lock may need a PIN). */
  public String verifiedNumber(String sessionId) throws ApiException {
    Session session = live(sessionId);
    synchronized (session) {
      if (!session.verified) {
        throw new ApiException(403, "not_verified", "The verification session has not been verified with its code");
      }
      return session.number;
    }
  }

  /** The number registered: its next verification session comes without a wait. */
  public void registered(String number) {
    backoff.forget(number);
  }

  /** Uses up a verified session and returns its number; a session registers at most once. */
  public String consumeVerified(String sessionId) throws ApiException {
    Session session = live(sessionId);
    synchronized (session) {
      if (!session.verified) {
        throw new ApiException(403, "not_verified", "The verification session has not been verified with its code");
      }
      if (sessions.remove(sessionId) == null) {
        throw ApiException.notFound("no_such_session", "Verification session already used");
      }
      return session.number;
    }
  }

  private Session live(String sessionId) throws ApiException {
    Session session = sessionId == null ? null : sessions.get(sessionId);
    if (session == null) {
      throw ApiException.notFound("no_such_session", "No such verification session");
    }
    if (clock.millis() >= session.expiresAt) {
      sessions.remove(sessionId);
      throw new ApiException(410, "session_expired", "The verification code expired; start a new session");
    }
    return session;
  }

  private void sweepExpired() {
    long now = clock.millis();
    sessions.values().removeIf(s -> now >= s.expiresAt);
  }
}
