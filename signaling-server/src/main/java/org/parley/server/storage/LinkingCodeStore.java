package org.parley.server.storage;

import java.util.Optional;

/**
 * Linking codes by the hash of the code, shared by every server of a cluster (ADR 0151): the primary may get its code
 * from one server and the new device present it to another.
 */
public interface LinkingCodeStore {

  /** What a code stands for. */
  record Entry(String accountId, long expiresAt) {}

  void put(String codeHash, Entry entry);

  Optional<Entry> find(String codeHash);

  /** Deletes the code if it has not expired at {@code now}; exactly one of concurrent callers gets true. */
  boolean consume(String codeHash, long now);

  void delete(String codeHash);

  /** Deletes codes expired at {@code now}. */
  void deleteExpired(long now);
}
