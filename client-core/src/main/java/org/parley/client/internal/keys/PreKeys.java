package org.parley.client.internal.keys;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.parley.client.api.NetworkException;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.AccountTable.KeyKind;
import org.parley.client.internal.store.ProtocolStore;
import org.parley.protocol.PreKey;
import org.parley.protocol.PreKeyCount;
import org.parley.protocol.Route;
import org.parley.protocol.SetKeysRequest;
import org.parley.protocol.SignedPreKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;

/**
 * Our prekeys: generated and stored locally first, then uploaded, so a key the server hands out is always one we
 * can use. One-time keys are replenished when the server's count falls below {@link #LOW_WATER}.
 */
public final class PreKeys {

  public static final int BATCH = 100;
  public static final int LOW_WATER = 20;
  /** The signed prekey and the Kyber last-resort key are replaced after a week ... */
  public static final Duration SIGNED_PRE_KEY_ROTATION = Duration.ofDays(7);
  /** ... and an old one kept a month, for first messages that were sent with it and are still queued. */
  public static final Duration SIGNED_PRE_KEY_RETENTION = Duration.ofDays(30);

  private final ProtocolStore store;
  private final AccountTable account;
  private final RestClient rest;
  private final Clock clock;

  public PreKeys(ProtocolStore store, AccountTable account, RestClient rest, Clock clock) {
    this.store = store;
    this.account = account;
    this.rest = rest;
    this.clock = clock;
  }

  /** Everything a newly registered device uploads: identity, signed prekey, Kyber last resort, one-time keys. */
  public void uploadInitial() throws ApiFailure, NetworkException {
    IdentityKeyPair identity = store.getIdentityKeyPair();
    SetKeysRequest.Builder request = SetKeysRequest.newBuilder()
        .setIdentityKey(ByteString.copyFrom(identity.getPublicKey().serialize()));

    request.setSignedPreKey(newSignedPreKey(identity));

    int lastResortId = account.reserveIds(KeyKind.KYBER_PRE_KEY, 1);
    request.setPqLastResortPreKey(kyber(identity, lastResortId, true));
    addOneTimeEc(identity, request);
    addOneTimeKyber(identity, request);
    rest.call(Route.UPLOAD_KEYS, request.build(), null, true);
  }

  /** The signed keys a linked device registers with (stored locally first), signed by the account's identity. */
  public record LinkKeys(SignedPreKey signed, SignedPreKey lastResort) {}

  public LinkKeys forLinking() {
    IdentityKeyPair identity = store.getIdentityKeyPair();
    SignedPreKey signed = newSignedPreKey(identity);
    int lastResortId = account.reserveIds(KeyKind.KYBER_PRE_KEY, 1);
    return new LinkKeys(signed, kyber(identity, lastResortId, true));
  }

  /** A first batch of one-time keys of both kinds, for a device that registered its signed keys already. */
  public void uploadOneTimeKeys() throws ApiFailure, NetworkException {
    IdentityKeyPair identity = store.getIdentityKeyPair();
    SetKeysRequest.Builder request = SetKeysRequest.newBuilder();
    addOneTimeEc(identity, request);
    addOneTimeKyber(identity, request);
    rest.call(Route.UPLOAD_KEYS, request.build(), null, true);
  }

  /**
   * After each connection: a device whose keys never reached the server (registration was cut off) uploads them all;
   * any other replenishes one-time keys that run low and rotates old signed keys.
   */
  public void maintain() throws ApiFailure, NetworkException {
    PreKeyCount count = rest.call(Route.COUNT_KEYS, null, PreKeyCount.getDefaultInstance(), true);
    if (count.getEcCount() == 0 && count.getPqCount() == 0) {
      uploadInitial();
    } else {
      replenishIfLow();
      rotateSignedPreKeyIfOld();
    }
  }

  /** Asks the server how many one-time keys are left and uploads a new batch of any kind that runs low. */
  public boolean replenishIfLow() throws ApiFailure, NetworkException {
    PreKeyCount count = rest.call(Route.COUNT_KEYS, null, PreKeyCount.getDefaultInstance(), true);
    if (count.getEcCount() >= LOW_WATER && count.getPqCount() >= LOW_WATER) {
      return false;
    }
    IdentityKeyPair identity = store.getIdentityKeyPair();
    SetKeysRequest.Builder request = SetKeysRequest.newBuilder();
    if (count.getEcCount() < LOW_WATER) {
      addOneTimeEc(identity, request);
    }
    if (count.getPqCount() < LOW_WATER) {
      addOneTimeKyber(identity, request);
    }
    rest.call(Route.UPLOAD_KEYS, request.build(), null, true);
    return true;
  }

  private SignedPreKey newSignedPreKey(IdentityKeyPair identity) {
    int signedId = account.reserveIds(KeyKind.SIGNED_PRE_KEY, 1);
    ECKeyPair signed = ECKeyPair.generate();
    byte[] signedPublic = signed.getPublicKey().serialize();
    byte[] signature = identity.getPrivateKey().calculateSignature(signedPublic);
    store.storeSignedPreKey(signedId, new SignedPreKeyRecord(signedId, clock.millis(), signed, signature));
    return SignedPreKey.newBuilder().setKeyId(signedId).setPublicKey(ByteString.copyFrom(signedPublic))
        .setSignature(ByteString.copyFrom(signature)).build();
  }

  /**
   * Uploads a new signed prekey and Kyber last-resort key when the newest signed prekey is older than
   * {@link #SIGNED_PRE_KEY_ROTATION}, and deletes old ones of both past {@link #SIGNED_PRE_KEY_RETENTION} (never the
   * current ones). Returns whether it rotated.
   */
  public boolean rotateSignedPreKeyIfOld() throws ApiFailure, NetworkException {
    long now = clock.millis();
    List<SignedPreKeyRecord> signed = store.loadSignedPreKeys();
    List<KyberPreKeyRecord> lastResort = store.kyberPreKeys.lastResortKeys();
    long newestSigned = signed.stream().mapToLong(SignedPreKeyRecord::getTimestamp).max().orElse(0);
    long newestKyber = lastResort.stream().mapToLong(KyberPreKeyRecord::getTimestamp).max().orElse(0);
    boolean rotate = now - newestSigned >= SIGNED_PRE_KEY_ROTATION.toMillis();
    if (rotate) {
      IdentityKeyPair identity = store.getIdentityKeyPair();
      int kyberId = account.reserveIds(KeyKind.KYBER_PRE_KEY, 1);
      rest.call(Route.UPLOAD_KEYS, SetKeysRequest.newBuilder().setSignedPreKey(newSignedPreKey(identity))
          .setPqLastResortPreKey(kyber(identity, kyberId, true)).build(), null, true);
    }
    long retention = SIGNED_PRE_KEY_RETENTION.toMillis();
    for (SignedPreKeyRecord old : signed) {
      if (now - old.getTimestamp() > retention && (rotate || old.getTimestamp() != newestSigned)) {
        store.removeSignedPreKey(old.getId());
      }
    }
    for (KyberPreKeyRecord old : lastResort) {
      if (now - old.getTimestamp() > retention && (rotate || old.getTimestamp() != newestKyber)) {
        store.kyberPreKeys.remove(old.getId());
      }
    }
    return rotate;
  }

  private void addOneTimeEc(IdentityKeyPair identity, SetKeysRequest.Builder request) {
    int first = account.reserveIds(KeyKind.PRE_KEY, BATCH);
    for (int id = first; id < first + BATCH; id++) {
      ECKeyPair pair = ECKeyPair.generate();
      store.storePreKey(id, new PreKeyRecord(id, pair));
      request.addPreKeys(PreKey.newBuilder().setKeyId(id)
          .setPublicKey(ByteString.copyFrom(pair.getPublicKey().serialize())));
    }
  }

  private void addOneTimeKyber(IdentityKeyPair identity, SetKeysRequest.Builder request) {
    int first = account.reserveIds(KeyKind.KYBER_PRE_KEY, BATCH);
    for (int id = first; id < first + BATCH; id++) {
      request.addPqPreKeys(kyber(identity, id, false));
    }
  }

  private SignedPreKey kyber(IdentityKeyPair identity, int id, boolean lastResort) {
    KEMKeyPair pair = KEMKeyPair.generate(KEMKeyType.KYBER_1024);
    byte[] publicKey = pair.getPublicKey().serialize();
    byte[] signature = identity.getPrivateKey().calculateSignature(publicKey);
    store.kyberPreKeys.store(id, new KyberPreKeyRecord(id, clock.millis(), pair, signature), lastResort);
    return SignedPreKey.newBuilder().setKeyId(id).setPublicKey(ByteString.copyFrom(publicKey))
        .setSignature(ByteString.copyFrom(signature)).build();
  }
}
