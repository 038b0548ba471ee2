package org.parley.client.internal.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.parley.client.internal.db.Database;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.state.IdentityKeyStore;

/**
 * Identity keys of contacts (table {@code identity}). Policy: trust on first use, and accept a new key while
 * recording the change (so the user sees "safety number changed"), as Signal does for incoming messages. Changes
 * seen inside a transaction are collected and reported after it commits via {@link #drainChanges()}.
 */
public final class IdentityTable implements IdentityKeyStore {

  /** The version of this store's newest migration (db/client/identity). */
  static final String SCHEMA_VERSION = "1";

  /** What we know about one contact's identity. */
  public record Entry(String accountId, IdentityKey key, long firstSeen, Long changedAt) {}

  private final Database db;
  private final Clock clock;
  private final Supplier<AccountTable.Row> account;
  private final List<String> changed = new ArrayList<>();
  private volatile IdentityKeyPair ownPair;

  public IdentityTable(Database db, Clock clock, Supplier<AccountTable.Row> account) {
    this.db = db;
    this.clock = clock;
    this.account = account;
    db.migrate("identity", SCHEMA_VERSION);
  }

  @Override
  public IdentityKeyPair getIdentityKeyPair() {
    IdentityKeyPair pair = ownPair;
    if (pair == null) {
      try {
        pair = new IdentityKeyPair(account.get().identityKeyPair());
      } catch (InvalidKeyException e) {
        throw new IllegalStateException("our identity key is corrupt", e);
      }
      ownPair = pair;
    }
    return pair;
  }

  /** Forget the cached key pair (after re-registration). */
  public void reset() {
    ownPair = null;
  }

  @Override
  public int getLocalRegistrationId() {
    return account.get().registrationId();
  }

  @Override
  public IdentityChange saveIdentity(SignalProtocolAddress address, IdentityKey key) {
    return db.inTransaction(c -> {
      Optional<Entry> existing = find(address.getName());
      long now = clock.millis();
      if (existing.isEmpty()) {
        Jdbc.update(c, "INSERT INTO identity (account_id, identity_key, first_seen) VALUES (?, ?, ?)",
            address.getName(), key.serialize(), now);
        return IdentityChange.NEW_OR_UNCHANGED;
      }
      if (existing.get().key().equals(key)) {
        return IdentityChange.NEW_OR_UNCHANGED;
      }
      Jdbc.update(c, "UPDATE identity SET identity_key = ?, changed_at = ? WHERE account_id = ?", key.serialize(),
          now, address.getName());
      synchronized (changed) {
        changed.add(address.getName());
      }
      return IdentityChange.REPLACED_EXISTING;
    });
  }

  @Override
  public boolean isTrustedIdentity(SignalProtocolAddress address, IdentityKey key, Direction direction) {
    return true;
  }

  @Override
  public IdentityKey getIdentity(SignalProtocolAddress address) {
    return find(address.getName()).map(Entry::key).orElse(null);
  }

  public Optional<Entry> find(String accountId) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT account_id, identity_key, first_seen, changed_at FROM identity "
        + "WHERE account_id = ?", r -> new Entry(r.getString(1), new IdentityKey(r.getBytes(2)), r.getLong(3),
        (Long) r.getObject(4)), accountId));
  }

  /** Account ids whose key changed since the last call. */
  public List<String> drainChanges() {
    synchronized (changed) {
      List<String> result = List.copyOf(changed);
      changed.clear();
      return result;
    }
  }
}
