package org.parley.server.storage;

import java.util.List;
import java.util.Optional;

/** Identity keys and prekeys, kept opaque (libsignal-client's serialized forms). */
public interface KeyStore {

  /** A one-time or signed prekey; {@code signature} is empty for one-time EC keys. */
  record StoredKey(int keyId, byte[] publicKey, byte[] signature) {}

  record Counts(int ecCount, int pqCount) {}

  /** What one device offers to a new session; {@code oneTimeEc} may be absent. */
  record DeviceBundle(
      StoredKey signedEc, Optional<StoredKey> oneTimeEc, StoredKey pq, boolean pqIsLastResort) {}

  Optional<byte[]> identityKey(String accountId);

  void setIdentityKey(String accountId, byte[] identityKey);

  void setSignedPreKey(DeviceAddress device, StoredKey key);

  void setPqLastResortKey(DeviceAddress device, StoredKey key);

  void addOneTimeEcKeys(DeviceAddress device, List<StoredKey> keys);

  void addOneTimePqKeys(DeviceAddress device, List<StoredKey> keys);

  Counts count(DeviceAddress device);

  /**
   * Takes one one-time EC key and one one-time Kyber key (each consumed exactly once, even under concurrent
   * callers), falling back to the Kyber last-resort key. Empty when the device has no signed prekey or no Kyber key.
   */
  Optional<DeviceBundle> takeBundle(DeviceAddress device);

  /** Drops every prekey of one device (an unlinked one). */
  void deleteDevice(DeviceAddress device);

  /** Drops every key of the account, identity key included when {@code includingIdentity}. */
  void deleteAll(String accountId, boolean includingIdentity);
}
