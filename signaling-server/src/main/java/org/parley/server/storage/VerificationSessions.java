package org.parley.server.storage;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Verification sessions (phone number + SMS code) and the per-number backoff of new ones, shared by every server
 * of a cluster (ADR 0151): a session started on one server can be finished on another, and its wrong tries count
 * once whichever server they reach. Each change is one conditional statement, so concurrent servers cannot both
 * spend the last try or both verify a spent session.
 */
public interface VerificationSessions {

  /** A session as stored. */
  record Session(String id, String number, String code, long expiresAt, int remainingAttempts, boolean verified) {}

  /** How many sessions a number started (since it last registered or was quiet for a week) and when the last did. */
  record Backoff(int sessions, long lastStart) {}

  void create(Session session);

  Optional<Session> find(String sessionId);

  /** Marks the session verified if it is not and still has tries; false otherwise (spent, gone). */
  boolean markVerified(String sessionId);

  /** Spends one try of an unverified session that has one; the tries left after, or empty if none was spent. */
  OptionalInt spendAttempt(String sessionId);

  /** Deletes a verified session (registering with it); exactly one of concurrent callers gets true. */
  boolean consumeVerified(String sessionId);

  void delete(String sessionId);

  /** Deletes sessions expired at {@code now} and backoff states last started before {@code quietSince}. */
  void deleteExpired(long now, long quietSince);

  Optional<Backoff> backoff(String number);

  /**
   * Replaces the number's backoff with {@code next} if it is still {@code expected} (empty: the number has none);
   * false when another server changed it first.
   */
  boolean replaceBackoff(String number, Optional<Backoff> expected, Backoff next);

  void forgetBackoff(String number);
}
