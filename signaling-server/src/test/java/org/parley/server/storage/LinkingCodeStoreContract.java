package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.parley.server.storage.LinkingCodeStore.Entry;

/** What every {@link LinkingCodeStore} must do. */
public abstract class LinkingCodeStoreContract {

  protected abstract LinkingCodeStore codes();

  @Test
  void aCodeIsUsedOnceAndNotAfterItExpires() {
    codes().put("hash-a", new Entry("acct-1", 5_000));
    codes().put("hash-b", new Entry("acct-2", 5_000));
    assertThat(codes().find("hash-a")).contains(new Entry("acct-1", 5_000));
    assertThat(codes().find("hash-x")).isEmpty();
    assertThat(codes().consume("hash-a", 4_999)).isTrue();
    assertThat(codes().consume("hash-a", 4_999)).isFalse();
    assertThat(codes().consume("hash-b", 5_000)).as("expired").isFalse();
  }

  @Test
  void expiredCodesAreDeleted() {
    codes().put("old", new Entry("acct-1", 1_000));
    codes().put("new", new Entry("acct-1", 2_000));
    codes().deleteExpired(1_000);
    assertThat(codes().find("old")).isEmpty();
    assertThat(codes().find("new")).isPresent();
    codes().delete("new");
    assertThat(codes().find("new")).isEmpty();
  }
}
