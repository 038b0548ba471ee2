package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What every {@link ContactPairs} must do. */
public abstract class ContactPairsContract {

  protected abstract ContactPairs pairs();

  /** The same storage through a new instance, which remembers nothing yet. */
  protected abstract ContactPairs reopened();

  @Test
  void recordsOrderedPairsOnceAndKnowsThemLater() {
    assertThat(pairs().hasSent("alice", "bob")).isFalse();
    assertThat(pairs().knownToBeRecorded("alice", "bob")).isFalse();
    pairs().record("alice", "bob");
    pairs().record("alice", "bob");
    assertThat(pairs().hasSent("alice", "bob")).isTrue();
    assertThat(pairs().knownToBeRecorded("alice", "bob")).isTrue();
    assertThat(pairs().hasSent("bob", "alice")).as("ordered: bob has not written to alice").isFalse();

    ContactPairs fresh = reopened();
    assertThat(fresh.knownToBeRecorded("alice", "bob")).as("a new instance remembers nothing").isFalse();
    assertThat(fresh.hasSent("alice", "bob")).as("but storage does").isTrue();
    fresh.record("alice", "bob"); // already stored: no error
    assertThat(fresh.hasSent("bob", "alice")).isFalse();
  }
}
