package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.parley.server.storage.RegistrationLocks.Lock;

/** What every {@link RegistrationLocks} must do. */
public abstract class RegistrationLocksContract {

  protected abstract RegistrationLocks locks();

  @Test
  void setsReplacesAndRemovesOneLockPerAccount() {
    assertThat(locks().find("acct")).isEmpty();
    assertThat(locks().remove("acct")).isFalse();
    locks().set("acct", new Lock("hash-1", 1000));
    locks().set("other", new Lock("hash-x", 3000));
    assertThat(locks().find("acct")).contains(new Lock("hash-1", 1000));
    locks().set("acct", new Lock("hash-2", 2000));
    assertThat(locks().find("acct")).contains(new Lock("hash-2", 2000));
    assertThat(locks().remove("acct")).isTrue();
    assertThat(locks().find("acct")).isEmpty();
    assertThat(locks().find("other")).as("other accounts untouched").contains(new Lock("hash-x", 3000));
  }
}
