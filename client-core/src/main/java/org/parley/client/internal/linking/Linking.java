package org.parley.client.internal.linking;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.parley.client.api.AccountInfo;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.LinkProgress;
import org.parley.client.api.LinkResult;
import org.parley.client.api.LinkedDevice;
import org.parley.client.api.NetworkException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyException;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.keys.PreKeys;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.store.AccountTable;
import org.parley.protocol.DeviceInfo;
import org.parley.protocol.DeviceList;
import org.parley.protocol.LinkDeviceRequest;
import org.parley.protocol.LinkDeviceResponse;
import org.parley.protocol.LinkingCode;
import org.parley.protocol.ProvisionEnvelope;
import org.parley.protocol.ProvisionMessage;
import org.parley.protocol.ProvisioningMessageRequest;
import org.parley.protocol.Route;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Both ends of linking (docs/decisions/0301-device-linking.md): the new device waits on a provisioning socket and
 * registers itself from the primary's sealed provisioning message; the primary gets a linking code and seals the
 * account to the key in the new device's QR code.
 */
public final class Linking {

  private static final Logger log = LoggerFactory.getLogger(Linking.class);
  /** How long {@link #addDevice} waits for the new device to show up in the device list. */
  static final Duration REGISTRATION_WAIT = Duration.ofSeconds(60);

  private final AccountTable account;
  private final AccountService accounts;
  private final PreKeys preKeys;
  private final Runnable identityReset;
  private final RestClient rest;
  private final OwnDevices ownDevices;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public Linking(AccountTable account, AccountService accounts, PreKeys preKeys, Runnable identityReset,
      RestClient rest, OwnDevices ownDevices, Clock clock) {
    this.account = account;
    this.accounts = accounts;
    this.preKeys = preKeys;
    this.identityReset = identityReset;
    this.rest = rest;
    this.ownDevices = ownDevices;
    this.clock = clock;
  }

  // ---- the new device ----

  public LinkResult link(String deviceName, LinkProgress progress, Duration timeout) throws ParleyException,
      InterruptedException {
    var existing = account.get();
    if (existing.isPresent() && existing.get().registered()) {
      throw new InvalidInputException("This data directory is already registered as " + existing.get().number()
          + "; link in a new data directory");
    }
    String name = deviceName == null || deviceName.isBlank() ? "desktop" : deviceName.strip();
    if (name.length() > 100) {
      throw new InvalidInputException("A device name has at most 100 characters");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    int failures = 0;
    while (System.nanoTime() < deadline) {
      ECKeyPair ephemeral = ECKeyPair.generate();
      boolean gotAddress = false;
      try (ProvisioningSocket socket = new ProvisioningSocket(rest.base(), rest.tls())) {
        socket.open();
        while (System.nanoTime() < deadline) {
          ProvisioningSocket.Event event = socket.next(Math.min(500, remainingMillis(deadline)));
          if (event instanceof ProvisioningSocket.Event.Address address) {
            gotAddress = true;
            failures = 0;
            progress.showLink(new LinkUri(address.address(), ephemeral.getPublicKey()).toUriString());
          } else if (event instanceof ProvisioningSocket.Event.Message message) {
            progress.linking();
            ProvisionMessage provision = ProvisioningCipher.open(envelope(message.body()), ephemeral);
            return register(provision, name);
          } else if (event instanceof ProvisioningSocket.Event.Closed closed) {
            log.debug("provisioning socket closed: {} {}", closed.code(), closed.reason());
            if (!gotAddress && ++failures >= 3) {
              throw new NetworkException("Cannot open a provisioning connection to " + rest.base() + ": "
                  + closed.code() + " " + closed.reason());
            }
            break; // expired or dropped: a new key, a new address, a new QR code
          }
        }
      }
      if (!gotAddress) {
        Thread.sleep(Math.min(1000L * failures, Math.max(0, remainingMillis(deadline))));
      }
    }
    throw new NetworkException("No primary device linked this one within " + timeout.toSeconds() + " s");
  }

  private static long remainingMillis(long deadline) {
    return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
  }

  private static ProvisionEnvelope envelope(byte[] body) throws InvalidInputException {
    try {
      return ProvisionEnvelope.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidInputException("The provisioning message does not parse", e);
    }
  }

  private LinkResult register(ProvisionMessage provision, String name) throws ParleyException {
    try {
      new IdentityKeyPair(provision.getIdentityKeyPair().toByteArray());
    } catch (InvalidKeyException | RuntimeException e) {
      throw new InvalidInputException("The provisioning message carries no valid identity key", e);
    }
    byte[] secret = new byte[24];
    random.nextBytes(secret);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    int registrationId = 1 + random.nextInt(16380);
    String server = rest.base().toString();
    account.replace(new AccountTable.Row(server, provision.getNumber(), registrationId,
        provision.getIdentityKeyPair().toByteArray(), password, null, null, null, 1, 1, 1, true, clock.millis()));
    identityReset.run();
    PreKeys.LinkKeys keys = preKeys.forLinking();
    LinkDeviceResponse linked;
    try {
      linked = rest.call(Route.LINK_DEVICE, LinkDeviceRequest.newBuilder()
          .setLinkingCode(provision.getLinkingCode()).setPassword(password).setRegistrationId(registrationId)
          .setName(name).setSignedPreKey(keys.signed()).setPqLastResortPreKey(keys.lastResort()).build(),
          LinkDeviceResponse.getDefaultInstance(), false);
    } catch (ApiFailure failure) {
      throw failure.toParley("Registering this device with the linking code");
    }
    account.setRegistered(linked.getAccountId(), linked.getDeviceId());
    try {
      preKeys.uploadOneTimeKeys();
    } catch (ApiFailure | NetworkException e) {
      log.warn("linked, but uploading one-time prekeys failed; they go up on the next connection: {}",
          e.getMessage());
    }
    return new LinkResult(new AccountInfo(provision.getNumber(), linked.getAccountId(), linked.getDeviceId(), server),
        provision.getProfileName());
  }

  // ---- the primary ----

  /** Sends our account to the device showing {@code linkUri} and waits until it has registered. */
  public LinkedDevice addDevice(String linkUri, String profileName) throws ParleyException, InterruptedException {
    AccountTable.Row row = accounts.registered();
    LinkUri uri = LinkUri.parse(linkUri);
    if (row.deviceId() != 1) {
      throw new InvalidInputException("Only the primary device (device 1) can link devices; this is device "
          + row.deviceId());
    }
    Set<Integer> before = ids(devices(row));
    LinkingCode code;
    try {
      code = rest.call(Route.CREATE_LINKING_CODE, null, LinkingCode.getDefaultInstance(), true);
    } catch (ApiFailure failure) {
      throw failure.toParley("Getting a linking code");
    }
    ProvisionMessage message = ProvisionMessage.newBuilder().setAccountId(row.accountId()).setNumber(row.number())
        .setIdentityKeyPair(ByteString.copyFrom(row.identityKeyPair()))
        .setProfileName(profileName == null ? "" : profileName).setLinkingCode(code.getCode())
        .setServerUrl(row.serverUrl()).build();
    ProvisionEnvelope sealed = ProvisioningCipher.seal(message, uri.publicKey());
    try {
      rest.call(Route.SEND_PROVISIONING_MESSAGE, ProvisioningMessageRequest.newBuilder()
          .setBody(sealed.toByteString()).build(), null, true, uri.address());
    } catch (ApiFailure failure) {
      if (failure.status() == 404) {
        throw new NotFoundException("The new device is no longer waiting at that link (its QR code was refreshed "
            + "or closed); scan the code it shows now", failure);
      }
      throw failure.toParley("Sending the account to the new device");
    }
    long deadline = System.nanoTime() + REGISTRATION_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      List<LinkedDevice> now = devices(row);
      for (LinkedDevice device : now) {
        if (!before.contains(device.deviceId())) {
          ownDevices.set(others(row, now));
          return device;
        }
      }
      Thread.sleep(250);
    }
    throw new NetworkException("The account was sent, but the new device has not registered within "
        + REGISTRATION_WAIT.toSeconds() + " s");
  }

  public List<LinkedDevice> devices() throws ParleyException {
    return devices(accounts.registered());
  }

  private List<LinkedDevice> devices(AccountTable.Row row) throws ParleyException {
    DeviceList list;
    try {
      list = rest.call(Route.LIST_DEVICES, null, DeviceList.getDefaultInstance(), true, row.accountId());
    } catch (ApiFailure failure) {
      throw failure.toParley("Listing our devices");
    }
    List<LinkedDevice> devices = new ArrayList<>();
    for (DeviceInfo d : list.getDevicesList()) {
      devices.add(new LinkedDevice(d.getDeviceId(), d.getName(), d.getCreated(), d.getLastSeen(),
          d.getDeviceId() == row.deviceId()));
    }
    return devices;
  }

  public void unlink(int deviceId) throws ParleyException {
    AccountTable.Row row = accounts.registered();
    if (row.deviceId() != 1) {
      throw new InvalidInputException("Only the primary device can unlink devices");
    }
    if (deviceId == 1) {
      throw new InvalidInputException("The primary device cannot be unlinked");
    }
    if (deviceId < 1) {
      throw new InvalidInputException("Device ids are positive numbers");
    }
    try {
      rest.raw(Route.UNLINK_DEVICE, null, true, deviceId);
    } catch (ApiFailure failure) {
      if (failure.status() == 404) {
        throw new NotFoundException("This account has no device " + deviceId, failure);
      }
      throw failure.toParley("Unlinking device " + deviceId);
    }
    ownDevices.set(others(row, devices(row)));
  }

  private static Set<Integer> ids(List<LinkedDevice> devices) {
    Set<Integer> ids = new TreeSet<>();
    devices.forEach(d -> ids.add(d.deviceId()));
    return ids;
  }

  private static Set<Integer> others(AccountTable.Row row, List<LinkedDevice> devices) {
    Set<Integer> others = new TreeSet<>();
    devices.forEach(d -> {
      if (d.deviceId() != row.deviceId()) {
        others.add(d.deviceId());
      }
    });
    return Set.copyOf(others);
  }
}
