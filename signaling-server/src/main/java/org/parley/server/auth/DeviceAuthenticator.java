package org.parley.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.server.accounts.AccountsService;
import org.parley.server.api.ApiException;
import org.parley.server.ratelimit.RateLimiter;
import org.parley.server.storage.Device;

/**
 * Checks HTTP Basic credentials {@code accountId.deviceId:password}. Unknown accounts, unknown devices, malformed
 * credentials and wrong passwords all give the same empty answer (one 401), so the answer does not reveal which
 * accounts exist.
 *
 * <p>The slow hash runs once per device password: afterwards a SHA-256 of the password is remembered against the
 * stored hash, so reconnects stay cheap. A new password (re-registration) has a new stored hash, which forgets the
 * old entry.
 *
 * <p>Wrong passwords must not become a way to burn the server's CPU (issue #17, finding 3). So the slow hash runs on
 * {@link PasswordChecks}' own threads, never on the request workers; each network (IPv4 /24, IPv6 /64) has an
 * allowance of failed slow checks, spent only on failure, after which its attempts are refused with 429 before any
 * hashing; and a device whose password was recently guessed wrong is checked in the stranger lane unless the attempt
 * comes from a network it has logged in from, so guessing at a device delays the guesser, not the device.
 */
public final class DeviceAuthenticator {

  /** Bounds the memory of networks that logged in per device; cleared when exceeded (an optimisation only). */
  private static final int MAX_GOOD_NETWORKS = 100_000;

  private final AccountsService accounts;
  private final PasswordChecks checks;
  private final RateLimiter failuresPerNetwork;
  private final RateLimiter failuresPerDevice;
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
  private final Set<String> goodNetworks = ConcurrentHashMap.newKeySet();
  private final String dummyHash;

  /**
   * @param failuresPerNetwork allowance of failed slow checks per network, spent on failure only
   * @param failuresPerDevice failed checks after which a device's attempts from networks it never logged in from
   *     wait in the stranger lane
   */
  public DeviceAuthenticator(AccountsService accounts, PasswordHasher hasher, PasswordChecks checks,
      RateLimiter failuresPerNetwork, RateLimiter failuresPerDevice) {
    this.accounts = accounts;
    this.checks = checks;
    this.failuresPerNetwork = failuresPerNetwork;
    this.failuresPerDevice = failuresPerDevice;
    this.dummyHash = hasher.hash(UUID.randomUUID().toString());
  }

  /**
   * Parses an {@code Authorization: Basic ...} header value. Completes with the device, or empty for credentials
   * that do not check out; fails with {@link ApiException} 429 when {@code remoteAddress}'s network has used up its
   * failed logins, 503 when password checks are saturated. Call it off the network threads (it reads the account).
   */
  public CompletableFuture<Optional<AuthenticatedDevice>> authenticateHeader(String authorization,
      String remoteAddress) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return none();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return none();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return none();
    }
    return authenticate(decoded.substring(0, colon), decoded.substring(colon + 1), remoteAddress);
  }

  /** {@code login} is {@code accountId.deviceId}; otherwise as {@link #authenticateHeader}. */
  public CompletableFuture<Optional<AuthenticatedDevice>> authenticate(String login, String password,
      String remoteAddress) {
    int dot = login.lastIndexOf('.');
    if (dot <= 0 || password == null) {
      return none();
    }
    String accountId = login.substring(0, dot);
    int deviceId;
    try {
      deviceId = Integer.parseInt(login.substring(dot + 1));
    } catch (NumberFormatException e) {
      return none();
    }
    Optional<Device> device = accounts.find(accountId).flatMap(a -> a.device(deviceId));
    String stored = device.map(Device::passwordHash).orElse(dummyHash);
    byte[] fast = sha256(password);
    byte[] remembered = device.isPresent() ? verified.get(stored) : null;
    if (remembered != null && MessageDigest.isEqual(remembered, fast)) {
      return CompletableFuture.completedFuture(Optional.of(new AuthenticatedDevice(accountId, deviceId)));
    }
    String network = NetworkKey.of(remoteAddress);
    try {
      failuresPerNetwork.requireAllowance(network);
    } catch (ApiException spent) {
      return CompletableFuture.failedFuture(spent);
    }
    String deviceKey = login;
    // Unknown devices are checked too (against a dummy hash), so timing does not reveal which accounts exist.
    PasswordChecks.Lane lane = device.isPresent()
        && (failuresPerDevice.allows(deviceKey) || goodNetworks.contains(deviceKey + " " + network))
        ? PasswordChecks.Lane.KNOWN_DEVICE : PasswordChecks.Lane.STRANGER;
    return checks.verify(password, stored, lane).thenApply(matches -> {
      if (!matches || device.isEmpty()) {
        failuresPerNetwork.charge(network);
        failuresPerDevice.charge(deviceKey);
        return Optional.empty();
      }
      verified.put(stored, fast);
      if (goodNetworks.size() > MAX_GOOD_NETWORKS) {
        goodNetworks.clear();
      }
      goodNetworks.add(deviceKey + " " + network);
      return Optional.of(new AuthenticatedDevice(accountId, deviceId));
    });
  }

  /** Forgets remembered verifications of hashes no device has any more. */
  public void forget(String storedHash) {
    verified.remove(storedHash);
  }

  private static CompletableFuture<Optional<AuthenticatedDevice>> none() {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
