package org.parley.server.storage;

import java.util.Optional;

/**
 * Registration locks: an account whose primary device set a PIN cannot be registered again with an SMS code alone
 * while it is in use (issue #17, finding 9). The store keeps the slow hash of the client's PIN-derived token.
 */
public interface RegistrationLocks {

  /** A lock as stored. */
  record Lock(String tokenHash, long setAt) {}

  Optional<Lock> find(String accountId);

  /** Sets or replaces the account's lock. */
  void set(String accountId, Lock lock);

  /** Removes the account's lock; false when it had none. */
  boolean remove(String accountId);
}
