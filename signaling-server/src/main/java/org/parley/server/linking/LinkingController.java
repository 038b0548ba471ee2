package org.parley.server.linking;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.parley.protocol.LinkDeviceRequest;
import org.parley.protocol.LinkDeviceResponse;
import org.parley.protocol.LinkingCode;
import org.parley.protocol.ProvisioningMessageRequest;
import org.parley.protocol.Route;
import org.parley.protocol.SignedPreKey;
import org.parley.server.accounts.AccountsService;
import org.parley.server.api.ApiException;
import org.parley.server.api.ApiResponse;
import org.parley.server.api.BodyCodec;
import org.parley.server.api.Router;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.auth.DeviceAuthenticator;
import org.parley.server.auth.NewDeviceRules;
import org.parley.server.auth.PasswordHasher;
import org.parley.server.connections.ClientConnection;
import org.parley.server.messages.DeliveryService;
import org.parley.server.storage.Account;
import org.parley.server.storage.Device;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.KeyStore;
import org.parley.server.storage.MessageQueue;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.kem.KEMPublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linking devices to an account: linking codes (primary only), the relay of the encrypted provisioning message to
 * a provisioning socket, registration of the new device, and unlinking.
 */
public final class LinkingController {

  private static final Logger log = LoggerFactory.getLogger(LinkingController.class);
  static final int MAX_PROVISIONING_BYTES = 64 * 1024;

  private final AccountsService accounts;
  private final KeyStore keys;
  private final MessageQueue queue;
  private final DeliveryService delivery;
  private final DeviceAuthenticator authenticator;
  private final PasswordHasher hasher;
  private final LinkingCodes codes;
  private final ProvisioningService provisioning;
  private final int maxLinkedDevices;
  private final Clock clock;

  public LinkingController(AccountsService accounts, KeyStore keys, MessageQueue queue, DeliveryService delivery,
      DeviceAuthenticator authenticator, PasswordHasher hasher, LinkingCodes codes, ProvisioningService provisioning,
      int maxLinkedDevices, Clock clock) {
    this.accounts = accounts;
    this.keys = keys;
    this.queue = queue;
    this.delivery = delivery;
    this.authenticator = authenticator;
    this.hasher = hasher;
    this.codes = codes;
    this.provisioning = provisioning;
    this.maxLinkedDevices = maxLinkedDevices;
    this.clock = clock;
  }

  public void register(Router router) {
    router.add(Route.CREATE_LINKING_CODE, (request, params) -> {
      AuthenticatedDevice me = request.requireDevice();
      if (!me.isPrimary()) {
        throw new ApiException(403, "primary_only", "Only the account's primary device may link new devices");
      }
      Account account = accounts.find(me.accountId()).orElseThrow(ApiException::unauthorized);
      checkRoom(account);
      LinkingCodes.Issued issued = codes.issue(me.accountId());
      return done(ApiResponse.ok(
          LinkingCode.newBuilder().setCode(issued.code()).setExpiresAt(issued.expiresAt()).build()));
    });
    router.add(Route.SEND_PROVISIONING_MESSAGE, (request, params) -> {
      // Only a primary can issue the linking code a provisioning message needs; nobody else has reason to send one.
      if (!request.requireDevice().isPrimary()) {
        throw new ApiException(403, "primary_only", "Only the account's primary device may link new devices");
      }
      ProvisioningMessageRequest body = BodyCodec.parse(request, ProvisioningMessageRequest.getDefaultInstance());
      if (body.getBody().isEmpty() || body.getBody().size() > MAX_PROVISIONING_BYTES) {
        throw ApiException.badRequest("invalid_provisioning_message",
            "A provisioning message has 1 to " + MAX_PROVISIONING_BYTES + " bytes");
      }
      return provisioning.deliver(params.get(0), body.toByteArray()).thenApply(delivered -> {
        if (!delivered) {
          throw new CompletionException(ApiException.notFound("unknown_address",
              "No device is waiting at that provisioning address (its code may have been refreshed); scan again"));
        }
        return ApiResponse.noContent();
      });
    });
    router.add(Route.LINK_DEVICE, (request, params) -> {
      LinkDeviceRequest body = BodyCodec.parse(request, LinkDeviceRequest.getDefaultInstance());
      return done(ApiResponse.ok(link(body)));
    });
    router.add(Route.UNLINK_DEVICE, (request, params) -> {
      AuthenticatedDevice me = request.requireDevice();
      if (!me.isPrimary()) {
        throw new ApiException(403, "primary_only", "Only the account's primary device may unlink devices");
      }
      int deviceId;
      try {
        deviceId = Integer.parseInt(params.get(0));
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid_device", "A device id is a number, not '" + params.get(0) + "'");
      }
      if (deviceId == Device.PRIMARY_ID) {
        throw ApiException.badRequest("cannot_unlink_primary", "The primary device cannot be unlinked");
      }
      unlink(new DeviceAddress(me.accountId(), deviceId));
      return done(ApiResponse.noContent());
    });
  }

  private void checkRoom(Account account) throws ApiException {
    if (account.devices().size() >= 1 + maxLinkedDevices) {
      throw new ApiException(409, "device_limit", "The account already has " + maxLinkedDevices
          + " linked devices; unlink one first");
    }
  }

  private LinkDeviceResponse link(LinkDeviceRequest body) throws ApiException {
    NewDeviceRules.check(body.getPassword(), body.getRegistrationId(), body.getName());
    if (!body.hasSignedPreKey() || !body.hasPqLastResortPreKey()) {
      throw ApiException.badRequest("missing_keys", "A linked device registers with its signed prekey and its Kyber"
          + " last-resort key");
    }
    String accountId = codes.check(body.getLinkingCode());
    Account account = accounts.find(accountId)
        .orElseThrow(() -> new ApiException(403, "invalid_linking_code", "The account of this code is gone"));
    checkRoom(account);
    IdentityKey identity = keys.identityKey(accountId).map(LinkingController::identity)
        .orElseThrow(() -> new ApiException(409, "no_identity_key", "The account has not uploaded its identity key"));
    checkSignature(identity, body.getSignedPreKey(), false, "signed_pre_key");
    checkSignature(identity, body.getPqLastResortPreKey(), true, "pq_last_resort_pre_key");
    if (!codes.consume(body.getLinkingCode())) {
      throw new ApiException(403, "invalid_linking_code", "The linking code is unknown or has been used already");
    }
    long now = clock.millis();
    Device device = new Device(0, body.getRegistrationId(), hasher.hash(body.getPassword()), body.getName(), now,
        now);
    Account updated = accounts.addDevice(accountId, device, 1 + maxLinkedDevices)
        .orElseThrow(() -> new ApiException(409, "device_limit", "The account already has " + maxLinkedDevices
            + " linked devices; unlink one first"));
    int deviceId = updated.devices().stream().mapToInt(Device::deviceId).max().orElseThrow();
    DeviceAddress address = new DeviceAddress(accountId, deviceId);
    keys.setSignedPreKey(address, stored(body.getSignedPreKey()));
    keys.setPqLastResortKey(address, stored(body.getPqLastResortPreKey()));
    log.info("Linked device {} to {}", deviceId, accountId);
    return LinkDeviceResponse.newBuilder().setAccountId(accountId).setDeviceId(deviceId)
        .setNumber(updated.number()).build();
  }

  private static IdentityKey identity(byte[] bytes) {
    try {
      return new IdentityKey(bytes);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("stored identity key does not parse", e);
    }
  }

  private static void checkSignature(IdentityKey identity, SignedPreKey key, boolean kyber, String field)
      throws ApiException {
    byte[] publicKey = key.getPublicKey().toByteArray();
    try {
      if (kyber) {
        new KEMPublicKey(publicKey);
      } else {
        new ECPublicKey(publicKey);
      }
    } catch (InvalidKeyException | RuntimeException e) {
      throw ApiException.badRequest("invalid_key", field + " is not a valid " + (kyber ? "Kyber" : "EC")
          + " public key");
    }
    if (!identity.getPublicKey().verifySignature(publicKey, key.getSignature().toByteArray())) {
      throw new ApiException(403, "invalid_signature", field + " is not signed by the account's identity key");
    }
  }

  private static KeyStore.StoredKey stored(SignedPreKey key) {
    return new KeyStore.StoredKey(key.getKeyId(), key.getPublicKey().toByteArray(), key.getSignature().toByteArray());
  }

  /** Deletes the device, its credentials, queue and keys, and closes its connection now. */
  private void unlink(DeviceAddress address) throws ApiException {
    Device removed = accounts.removeDevice(address)
        .orElseThrow(() -> ApiException.notFound("unknown_device", "No device " + address.deviceId()));
    authenticator.forget(removed.passwordHash());
    delivery.closeEverywhere(address.accountId(), address.deviceId(), ClientConnection.CLOSE_CREDENTIALS_REVOKED,
        "This device was unlinked");
    queue.deleteDevice(address);
    keys.deleteDevice(address);
    log.info("Unlinked device {} of {}", address.deviceId(), address.accountId());
  }

  private static CompletableFuture<ApiResponse> done(ApiResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
