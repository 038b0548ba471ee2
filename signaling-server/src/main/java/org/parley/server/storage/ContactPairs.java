package org.parley.server.storage;

/**
 * Which accounts have sent which others messages. Someone's presence (online, last seen) is visible to the people
 * they have written to, so a stranger cannot watch when someone is online (issue #17, finding 8).
 */
public interface ContactPairs {

  /** True when the pair is known to be recorded without asking storage (a cheap check for every send). */
  boolean knownToBeRecorded(String fromAccount, String toAccount);

  /** {@code from} has sent {@code to} a message. Idempotent; may write to storage. */
  void record(String fromAccount, String toAccount);

  /** Whether {@code from} has ever sent {@code to} a message. */
  boolean hasSent(String fromAccount, String toAccount);
}
