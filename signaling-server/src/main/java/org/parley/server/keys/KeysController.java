package org.parley.server.keys;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.parley.protocol.DevicePreKeyBundle;
import org.parley.protocol.PreKey;
import org.parley.protocol.PreKeyBundleResponse;
import org.parley.protocol.PreKeyCount;
import org.parley.protocol.Route;
import org.parley.protocol.SetKeysRequest;
import org.parley.protocol.SignedPreKey;
import org.parley.server.accounts.AccountsService;
import org.parley.server.api.ApiException;
import org.parley.server.api.ApiRequest;
import org.parley.server.api.ApiResponse;
import org.parley.server.api.BodyCodec;
import org.parley.server.api.Router;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.ratelimit.RateLimiter;
import org.parley.server.storage.Account;
import org.parley.server.storage.Device;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.KeyStore;
import org.parley.server.storage.KeyStore.StoredKey;

/** Prekey upload, counts and bundles. Keys are opaque to the server; only their shape is checked. */
public final class KeysController {

  /** One upload may add at most this many one-time keys of each kind. */
  static final int MAX_ONE_TIME_KEYS = 100;
  /** One-time keys of each kind a device may hold; clients top up to 100 (issue #17: uploads had no total cap). */
  static final int MAX_STORED_ONE_TIME_KEYS = 1000;
  private static final int MAX_KEY_BYTES = 2048;
  private static final int SIGNATURE_BYTES = 64;

  private final KeyStore keys;
  private final AccountsService accounts;
  private final RateLimiter bundleLimiter;

  public KeysController(KeyStore keys, AccountsService accounts, RateLimiter bundleLimiter) {
    this.keys = keys;
    this.accounts = accounts;
    this.bundleLimiter = bundleLimiter;
  }

  public void register(Router router) {
    router.add(Route.UPLOAD_KEYS, (request, params) -> upload(request));
    router.add(Route.COUNT_KEYS, (request, params) -> {
      KeyStore.Counts counts = keys.count(request.requireDevice().address());
      return CompletableFuture.completedFuture(ApiResponse.ok(
          PreKeyCount.newBuilder().setEcCount(counts.ecCount()).setPqCount(counts.pqCount()).build()));
    });
    router.add(Route.GET_KEYS,
        (request, params) -> bundle(request, params.get(0), params.get(1)));
  }

  private CompletableFuture<ApiResponse> upload(ApiRequest request) throws ApiException {
    AuthenticatedDevice device = request.requireDevice();
    SetKeysRequest body = BodyCodec.parse(request, SetKeysRequest.getDefaultInstance());
    if (body.getPreKeysCount() > MAX_ONE_TIME_KEYS || body.getPqPreKeysCount() > MAX_ONE_TIME_KEYS) {
      throw ApiException.badRequest("too_many_keys", "At most " + MAX_ONE_TIME_KEYS + " one-time keys of each kind"
          + " per upload");
    }
    if (body.hasSignedPreKey()) {
      checkSigned(body.getSignedPreKey(), "signed_pre_key");
    }
    if (body.hasPqLastResortPreKey()) {
      checkSigned(body.getPqLastResortPreKey(), "pq_last_resort_pre_key");
    }
    List<StoredKey> ec = new ArrayList<>();
    for (PreKey key : body.getPreKeysList()) {
      checkKeyBytes(key.getPublicKey().size(), "pre_keys");
      ec.add(new StoredKey(key.getKeyId(), key.getPublicKey().toByteArray(), null));
    }
    List<StoredKey> pq = new ArrayList<>();
    for (SignedPreKey key : body.getPqPreKeysList()) {
      checkSigned(key, "pq_pre_keys");
      pq.add(stored(key));
    }
    // Checked before anything is stored: a refused upload changes nothing.
    KeyStore.Counts stored = keys.count(device.address());
    if (stored.ecCount() + ec.size() > MAX_STORED_ONE_TIME_KEYS
        || stored.pqCount() + pq.size() > MAX_STORED_ONE_TIME_KEYS) {
      throw new ApiException(413, "too_many_keys_stored", "A device holds at most " + MAX_STORED_ONE_TIME_KEYS
          + " one-time keys of each kind; this one has " + stored.ecCount() + " EC and " + stored.pqCount()
          + " Kyber keys");
    }
    if (!body.getIdentityKey().isEmpty()) {
      checkKeyBytes(body.getIdentityKey().size(), "identity_key");
      Optional<byte[]> current = keys.identityKey(device.accountId());
      boolean changes = current.isEmpty() || !Arrays.equals(current.get(), body.getIdentityKey().toByteArray());
      if (changes && !device.isPrimary()) {
        throw new ApiException(403, "primary_only", "Only the primary device may set the account's identity key");
      }
      if (changes) {
        keys.setIdentityKey(device.accountId(), body.getIdentityKey().toByteArray());
      }
    }
    if (body.hasSignedPreKey()) {
      keys.setSignedPreKey(device.address(), stored(body.getSignedPreKey()));
    }
    if (body.hasPqLastResortPreKey()) {
      keys.setPqLastResortKey(device.address(), stored(body.getPqLastResortPreKey()));
    }
    keys.addOneTimeEcKeys(device.address(), ec);
    keys.addOneTimePqKeys(device.address(), pq);
    return CompletableFuture.completedFuture(ApiResponse.noContent());
  }

  private static void checkSigned(SignedPreKey key, String field) throws ApiException {
    checkKeyBytes(key.getPublicKey().size(), field);
    if (key.getSignature().size() != SIGNATURE_BYTES) {
      throw ApiException.badRequest("invalid_key", field + ": a signature has " + SIGNATURE_BYTES + " bytes, got "
          + key.getSignature().size());
    }
  }

  private static void checkKeyBytes(int size, String field) throws ApiException {
    if (size == 0 || size > MAX_KEY_BYTES) {
      throw ApiException.badRequest("invalid_key", field + ": a public key has 1 to " + MAX_KEY_BYTES + " bytes, got "
          + size);
    }
  }

  private static StoredKey stored(SignedPreKey key) {
    return new StoredKey(key.getKeyId(), key.getPublicKey().toByteArray(), key.getSignature().toByteArray());
  }

  private CompletableFuture<ApiResponse> bundle(ApiRequest request, String accountId, String deviceSelector)
      throws ApiException {
    AuthenticatedDevice caller = request.requireDevice();
    bundleLimiter.check(caller.accountId());
    Account account = accounts.find(accountId)
        .orElseThrow(() -> ApiException.notFound("unknown_account", "No account " + accountId));
    List<Device> devices;
    if ("*".equals(deviceSelector)) {
      devices = account.devices();
    } else {
      int deviceId;
      try {
        deviceId = Integer.parseInt(deviceSelector);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid_device", "Device must be a number or *: " + deviceSelector);
      }
      devices = List.of(account.device(deviceId)
          .orElseThrow(() -> ApiException.notFound("unknown_device", "No device " + deviceId + " on " + accountId)));
    }
    byte[] identity = keys.identityKey(accountId)
        .orElseThrow(() -> ApiException.notFound("no_keys", "The account has not uploaded its keys"));
    PreKeyBundleResponse.Builder response = PreKeyBundleResponse.newBuilder()
        .setAccountId(accountId)
        .setIdentityKey(ByteString.copyFrom(identity));
    for (Device device : devices) {
      // A caller never takes keys of its own device.
      if (accountId.equals(caller.accountId()) && device.deviceId() == caller.deviceId()) {
        continue;
      }
      keys.takeBundle(new DeviceAddress(accountId, device.deviceId())).ifPresent(bundle -> {
        DevicePreKeyBundle.Builder b = DevicePreKeyBundle.newBuilder()
            .setDeviceId(device.deviceId())
            .setRegistrationId(device.registrationId())
            .setSignedPreKey(signed(bundle.signedEc()))
            .setPqPreKey(signed(bundle.pq()))
            .setPqLastResort(bundle.pqIsLastResort());
        bundle.oneTimeEc().ifPresent(k -> b.setPreKey(PreKey.newBuilder()
            .setKeyId(k.keyId()).setPublicKey(ByteString.copyFrom(k.publicKey()))));
        response.addDevices(b);
      });
    }
    if (response.getDevicesCount() == 0) {
      throw ApiException.notFound("no_keys", "No device of the account has uploaded its prekeys");
    }
    return CompletableFuture.completedFuture(ApiResponse.ok(response.build()));
  }

  private static SignedPreKey signed(StoredKey key) {
    return SignedPreKey.newBuilder()
        .setKeyId(key.keyId())
        .setPublicKey(ByteString.copyFrom(key.publicKey()))
        .setSignature(ByteString.copyFrom(key.signature()))
        .build();
  }
}
