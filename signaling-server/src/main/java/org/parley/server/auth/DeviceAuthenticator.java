package org.parley.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.server.accounts.AccountsService;
import org.parley.server.storage.Device;

/**
 * Checks HTTP Basic credentials {@code accountId.deviceId:password}. Unknown accounts, unknown devices, malformed
 * credentials and wrong passwords all give the same empty answer (one 401), so the answer does not reveal which
 * accounts exist.
 *
 * <p>The slow hash runs once per device password: afterwards a SHA-256 of the password is remembered against the
 * stored hash, so reconnects stay cheap. A new password (re-registration) has a new stored hash, which forgets the
 * old entry.
 */
public final class DeviceAuthenticator {

  private final AccountsService accounts;
  private final PasswordHasher hasher;
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
  private final String dummyHash;

  public DeviceAuthenticator(AccountsService accounts, PasswordHasher hasher) {
    this.accounts = accounts;
    this.hasher = hasher;
    this.dummyHash = hasher.hash(UUID.randomUUID().toString());
  }

  /** Parses an {@code Authorization: Basic ...} header value. */
  public Optional<AuthenticatedDevice> authenticateHeader(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  /** {@code login} is {@code accountId.deviceId}. */
  public Optional<AuthenticatedDevice> authenticate(String login, String password) {
    int dot = login.lastIndexOf('.');
    if (dot <= 0 || password == null) {
      return Optional.empty();
    }
    String accountId = login.substring(0, dot);
    int deviceId;
    try {
      deviceId = Integer.parseInt(login.substring(dot + 1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    Optional<Device> device = accounts.find(accountId).flatMap(a -> a.device(deviceId));
    if (device.isEmpty()) {
      // Spend the same time as a real check, so timing does not reveal which accounts exist.
      hasher.verify(password, dummyHash);
      return Optional.empty();
    }
    String stored = device.get().passwordHash();
    byte[] fast = sha256(password);
    byte[] remembered = verified.get(stored);
    if (remembered != null && MessageDigest.isEqual(remembered, fast)) {
      return Optional.of(new AuthenticatedDevice(accountId, deviceId));
    }
    if (!hasher.verify(password, stored)) {
      return Optional.empty();
    }
    verified.put(stored, fast);
    return Optional.of(new AuthenticatedDevice(accountId, deviceId));
  }

  /** Forgets remembered verifications of hashes no device has any more. */
  public void forget(String storedHash) {
    verified.remove(storedHash);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
