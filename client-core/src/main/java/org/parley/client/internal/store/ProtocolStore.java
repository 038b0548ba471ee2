package org.parley.client.internal.store;

import java.util.List;
import java.util.UUID;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.ReusedBaseKeyException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.groups.state.SenderKeyRecord;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SessionRecord;
import org.signal.libsignal.protocol.state.SignalProtocolStore;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;

/** libsignal's combined store interface, delegating to one store per table. */
public final class ProtocolStore implements SignalProtocolStore {

  public final IdentityTable identities;
  public final PreKeyTable preKeys;
  public final SignedPreKeyTable signedPreKeys;
  public final KyberPreKeyTable kyberPreKeys;
  public final SessionTable sessions;
  public final SenderKeyTable senderKeys;

  public ProtocolStore(IdentityTable identities, PreKeyTable preKeys, SignedPreKeyTable signedPreKeys,
      KyberPreKeyTable kyberPreKeys, SessionTable sessions, SenderKeyTable senderKeys) {
    this.identities = identities;
    this.preKeys = preKeys;
    this.signedPreKeys = signedPreKeys;
    this.kyberPreKeys = kyberPreKeys;
    this.sessions = sessions;
    this.senderKeys = senderKeys;
  }

  @Override
  public IdentityKeyPair getIdentityKeyPair() {
    return identities.getIdentityKeyPair();
  }

  @Override
  public int getLocalRegistrationId() {
    return identities.getLocalRegistrationId();
  }

  @Override
  public IdentityChange saveIdentity(SignalProtocolAddress address, IdentityKey key) {
    return identities.saveIdentity(address, key);
  }

  @Override
  public boolean isTrustedIdentity(SignalProtocolAddress address, IdentityKey key, Direction direction) {
    return identities.isTrustedIdentity(address, key, direction);
  }

  @Override
  public IdentityKey getIdentity(SignalProtocolAddress address) {
    return identities.getIdentity(address);
  }

  @Override
  public PreKeyRecord loadPreKey(int id) throws InvalidKeyIdException {
    return preKeys.loadPreKey(id);
  }

  @Override
  public void storePreKey(int id, PreKeyRecord record) {
    preKeys.storePreKey(id, record);
  }

  @Override
  public boolean containsPreKey(int id) {
    return preKeys.containsPreKey(id);
  }

  @Override
  public void removePreKey(int id) {
    preKeys.removePreKey(id);
  }

  @Override
  public SessionRecord loadSession(SignalProtocolAddress address) {
    return sessions.loadSession(address);
  }

  @Override
  public List<SessionRecord> loadExistingSessions(List<SignalProtocolAddress> addresses) throws NoSessionException {
    return sessions.loadExistingSessions(addresses);
  }

  @Override
  public List<Integer> getSubDeviceSessions(String name) {
    return sessions.getSubDeviceSessions(name);
  }

  @Override
  public void storeSession(SignalProtocolAddress address, SessionRecord record) {
    sessions.storeSession(address, record);
  }

  @Override
  public boolean containsSession(SignalProtocolAddress address) {
    return sessions.containsSession(address);
  }

  @Override
  public void deleteSession(SignalProtocolAddress address) {
    sessions.deleteSession(address);
  }

  @Override
  public void deleteAllSessions(String name) {
    sessions.deleteAllSessions(name);
  }

  @Override
  public SignedPreKeyRecord loadSignedPreKey(int id) throws InvalidKeyIdException {
    return signedPreKeys.loadSignedPreKey(id);
  }

  @Override
  public List<SignedPreKeyRecord> loadSignedPreKeys() {
    return signedPreKeys.loadSignedPreKeys();
  }

  @Override
  public void storeSignedPreKey(int id, SignedPreKeyRecord record) {
    signedPreKeys.storeSignedPreKey(id, record);
  }

  @Override
  public boolean containsSignedPreKey(int id) {
    return signedPreKeys.containsSignedPreKey(id);
  }

  @Override
  public void removeSignedPreKey(int id) {
    signedPreKeys.removeSignedPreKey(id);
  }

  @Override
  public void storeSenderKey(SignalProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
    senderKeys.storeSenderKey(sender, distributionId, record);
  }

  @Override
  public SenderKeyRecord loadSenderKey(SignalProtocolAddress sender, UUID distributionId) {
    return senderKeys.loadSenderKey(sender, distributionId);
  }

  @Override
  public KyberPreKeyRecord loadKyberPreKey(int id) throws InvalidKeyIdException {
    return kyberPreKeys.loadKyberPreKey(id);
  }

  @Override
  public List<KyberPreKeyRecord> loadKyberPreKeys() {
    return kyberPreKeys.loadKyberPreKeys();
  }

  @Override
  public void storeKyberPreKey(int id, KyberPreKeyRecord record) {
    kyberPreKeys.storeKyberPreKey(id, record);
  }

  @Override
  public boolean containsKyberPreKey(int id) {
    return kyberPreKeys.containsKyberPreKey(id);
  }

  @Override
  public void markKyberPreKeyUsed(int id, int signedPreKeyId, ECPublicKey baseKey) throws ReusedBaseKeyException {
    kyberPreKeys.markKyberPreKeyUsed(id, signedPreKeyId, baseKey);
  }
}
