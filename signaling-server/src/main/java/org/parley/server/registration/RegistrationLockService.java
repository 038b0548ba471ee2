package org.parley.server.registration;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.parley.protocol.RegistrationLockFailure;
import org.parley.server.api.ApiException;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.auth.PasswordHasher;
import org.parley.server.ratelimit.RateLimiter;
import org.parley.server.storage.Account;
import org.parley.server.storage.Device;
import org.parley.server.storage.RegistrationLocks;

/**
 * Registration lock (issue #17, finding 9; as Signal and WhatsApp have it): a primary device may set a PIN; while
 * the account is in use, registering its number again needs the token the client derives from that PIN, so an SMS
 * code alone (guessed, or intercepted) no longer takes the account. A person who forgot the PIN is not locked out
 * for ever: the lock lapses once the account has been inactive for {@code lapsesAfter} (7 days).
 */
public final class RegistrationLockService {

  private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{64}");

  private final RegistrationLocks locks;
  private final PasswordHasher hasher;
  private final RateLimiter attemptsPerNumber;
  private final Duration lapsesAfter;
  private final Predicate<String> online;
  private final Clock clock;

  /**
   * @param online whether an account has a device connected now (a device's last-seen time is written when it
   *     disconnects, so a device online for a week would otherwise look inactive)
   */
  public RegistrationLockService(RegistrationLocks locks, PasswordHasher hasher, RateLimiter attemptsPerNumber,
      Duration lapsesAfter, Predicate<String> online, Clock clock) {
    this.locks = locks;
    this.online = online;
    this.hasher = hasher;
    this.attemptsPerNumber = attemptsPerNumber;
    this.lapsesAfter = lapsesAfter;
    this.clock = clock;
  }

  /** {@code PUT /v1/accounts/registration-lock}: the primary device sets or replaces the lock. */
  public void set(AuthenticatedDevice device, String token) throws ApiException {
    requirePrimary(device);
    if (token == null || !TOKEN.matcher(token).matches()) {
      throw ApiException.badRequest("invalid_token", "A registration lock token is 64 lower-case hex digits");
    }
    locks.set(device.accountId(), new RegistrationLocks.Lock(hasher.hash(token), clock.millis()));
  }

  /** {@code DELETE /v1/accounts/registration-lock}; true when there was one. */
  /** Whether the account has a lock set (it may have lapsed by inactivity; the next registration attempt decides). */
  public boolean isSet(String accountId) {
    return locks.find(accountId).isPresent();
  }

  public boolean remove(AuthenticatedDevice device) throws ApiException {
    requirePrimary(device);
    return locks.remove(device.accountId());
  }

  /**
   * Before {@code existing} is registered again: passes when it has no lock in force or {@code token} opens it,
   * else 423 with the time until the lock lapses. Returns whether a lock is in force (and was opened).
   */
  public boolean check(Account existing, String token) throws ApiException {
    Optional<RegistrationLocks.Lock> lock = locks.find(existing.accountId());
    if (lock.isEmpty()) {
      return false;
    }
    long lastActive = online.test(existing.accountId()) ? clock.millis() : lock.get().setAt();
    for (Device device : existing.devices()) {
      lastActive = Math.max(lastActive, device.lastSeen());
    }
    long remaining = lastActive + lapsesAfter.toMillis() - clock.millis();
    if (remaining <= 0) {
      return false;
    }
    RegistrationLockFailure body = RegistrationLockFailure.newBuilder().setTimeRemaining(remaining).build();
    if (token == null || token.isEmpty()) {
      throw ApiException.withBody(423, "registration_locked", "This number's account has a registration lock: "
          + "enter its PIN to register it here", body);
    }
    attemptsPerNumber.check(existing.number());
    if (!TOKEN.matcher(token).matches() || !hasher.verify(token, lock.get().tokenHash())) {
      throw ApiException.withBody(423, "wrong_registration_lock", "Wrong PIN for this number's registration lock",
          body);
    }
    return true;
  }

  /** The account was registered again without its (lapsed) lock: the new owner starts without one. */
  public void lapsed(String accountId) {
    locks.remove(accountId);
  }

  private static void requirePrimary(AuthenticatedDevice device) throws ApiException {
    if (device.deviceId() != Device.PRIMARY_ID) {
      throw new ApiException(403, "primary_only", "Only the primary device can change the registration lock");
    }
  }
}
