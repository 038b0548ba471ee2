package org.parley.client.internal.messaging;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.parley.client.api.NetworkException;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.store.ProtocolStore;
import org.parley.protocol.DevicePreKeyBundle;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.PreKeyBundleResponse;
import org.parley.protocol.Route;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.UntrustedIdentityException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.groups.GroupCipher;
import org.signal.libsignal.protocol.kem.KEMPublicKey;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SignalMessage;
import org.signal.libsignal.protocol.state.PreKeyBundle;

/** libsignal sessions: building them from the server's prekey bundles, encrypting per device, decrypting. */
public final class SessionCrypto {

  /** The {@code device} of {@link #startSessions} that means every device of the account. */
  public static final String ALL_DEVICES = "*";

  private final ProtocolStore store;
  private final Database db;
  private final RestClient rest;

  public SessionCrypto(ProtocolStore store, Database db, RestClient rest) {
    this.store = store;
    this.db = db;
    this.rest = rest;
  }

  /** Fetches prekey bundles ({@code device} is an id or {@link #ALL_DEVICES}) and starts a session with each. */
  public void startSessions(String accountId, String device) throws ApiFailure, NetworkException {
    PreKeyBundleResponse bundles = rest.call(Route.GET_KEYS, null, PreKeyBundleResponse.getDefaultInstance(), true,
        accountId, device);
    IdentityKey identity;
    try {
      identity = new IdentityKey(bundles.getIdentityKey().toByteArray());
    } catch (InvalidKeyException e) {
      throw new NetworkException("The server sent an invalid identity key for " + accountId, e);
    }
    for (DevicePreKeyBundle d : bundles.getDevicesList()) {
      try {
        PreKeyBundle bundle = new PreKeyBundle(d.getRegistrationId(), d.getDeviceId(),
            d.hasPreKey() ? d.getPreKey().getKeyId() : PreKeyBundle.NULL_PRE_KEY_ID,
            d.hasPreKey() ? new ECPublicKey(d.getPreKey().getPublicKey().toByteArray()) : null,
            d.getSignedPreKey().getKeyId(), new ECPublicKey(d.getSignedPreKey().getPublicKey().toByteArray()),
            d.getSignedPreKey().getSignature().toByteArray(), identity,
            d.getPqPreKey().getKeyId(), new KEMPublicKey(d.getPqPreKey().getPublicKey().toByteArray()),
            d.getPqPreKey().getSignature().toByteArray());
        SignalProtocolAddress address = new SignalProtocolAddress(accountId, d.getDeviceId());
        db.run(c -> new SessionBuilder(store, address).process(bundle));
      } catch (InvalidKeyException e) {
        throw new NetworkException("The server sent an invalid prekey bundle for device " + d.getDeviceId()
            + " of " + accountId + " (" + e.getMessage() + ")", e);
      }
    }
  }

  /** Encrypts {@code plaintext} once per device, in one transaction. */
  public List<OutgoingMessage> encrypt(String accountId, Collection<Integer> devices, byte[] plaintext) {
    return db.inTransaction(c -> {
      List<OutgoingMessage> messages = new ArrayList<>();
      for (int device : devices) {
        SignalProtocolAddress address = new SignalProtocolAddress(accountId, device);
        SessionCipher cipher = new SessionCipher(store, address);
        CiphertextMessage ciphertext = cipher.encrypt(plaintext);
        messages.add(OutgoingMessage.newBuilder()
            .setType(ciphertext.getType() == CiphertextMessage.PREKEY_TYPE ? Envelope.Type.PREKEY_MESSAGE
                : Envelope.Type.CIPHERTEXT)
            .setDestinationDevice(device)
            .setDestinationRegistrationId(cipher.getRemoteRegistrationId())
            .setContent(ByteString.copyFrom(ciphertext.serialize()))
            .build());
      }
      return messages;
    });
  }

  /**
   * Decrypts an envelope; must run inside the caller's transaction so the session update commits together with
   * what the caller stores.
   */
  public byte[] decrypt(Envelope envelope) throws Exception {
    SignalProtocolAddress address = new SignalProtocolAddress(envelope.getSourceAccount(), envelope.getSourceDevice());
    SessionCipher cipher = new SessionCipher(store, address);
    byte[] content = envelope.getContent().toByteArray();
    return switch (envelope.getType()) {
      case PREKEY_MESSAGE -> cipher.decrypt(new PreKeySignalMessage(content));
      case CIPHERTEXT -> cipher.decrypt(new SignalMessage(content));
      // A group message: one ciphertext for every member, encrypted with the sender device's sender key.
      case SENDER_KEY -> new GroupCipher(store, address).decrypt(content);
      default -> throw new UntrustedIdentityException(envelope.getSourceAccount());
    };
  }
}
