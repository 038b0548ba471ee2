package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.parley.server.storage.KeyStore.StoredKey;

/** What every {@link KeyStore} must do. */
public abstract class KeyStoreContract {

  protected abstract KeyStore store();

  private static final DeviceAddress DEVICE = new DeviceAddress("acct", 1);

  private static StoredKey key(int id) {
    return new StoredKey(id, new byte[] {(byte) id, 1, 2}, new byte[64]);
  }

  @Test
  void takesOneTimeKeysOnceEachThenTheLastResortKey() {
    store().setIdentityKey("acct", new byte[] {9});
    store().setSignedPreKey(DEVICE, key(1));
    store().setPqLastResortKey(DEVICE, key(500));
    store().addOneTimeEcKeys(DEVICE, List.of(key(10), key(11)));
    store().addOneTimePqKeys(DEVICE, List.of(key(20)));
    assertThat(store().count(DEVICE)).isEqualTo(new KeyStore.Counts(2, 1));

    KeyStore.DeviceBundle first = store().takeBundle(DEVICE).orElseThrow();
    assertThat(first.oneTimeEc()).get().extracting(StoredKey::keyId).isEqualTo(10);
    assertThat(first.pq().keyId()).isEqualTo(20);
    assertThat(first.pqIsLastResort()).isFalse();

    KeyStore.DeviceBundle second = store().takeBundle(DEVICE).orElseThrow();
    assertThat(second.oneTimeEc()).get().extracting(StoredKey::keyId).isEqualTo(11);
    assertThat(second.pq().keyId()).isEqualTo(500);
    assertThat(second.pqIsLastResort()).isTrue();

    assertThat(store().takeBundle(DEVICE).orElseThrow().oneTimeEc()).isEmpty();
    assertThat(store().count(DEVICE)).isEqualTo(new KeyStore.Counts(0, 0));
  }

  @Test
  void noBundleWithoutASignedKey() {
    assertThat(store().takeBundle(new DeviceAddress("none", 1))).isEmpty();
  }

  @Test
  void deletesEverythingOfAnAccount() {
    store().setIdentityKey("gone", new byte[] {1});
    DeviceAddress d = new DeviceAddress("gone", 1);
    store().setSignedPreKey(d, key(1));
    store().setPqLastResortKey(d, key(2));
    store().addOneTimeEcKeys(d, List.of(key(3)));
    store().deleteAll("gone", true);
    assertThat(store().identityKey("gone")).isEmpty();
    assertThat(store().takeBundle(d)).isEmpty();
    assertThat(store().count(d)).isEqualTo(new KeyStore.Counts(0, 0));
  }

  @Test
  void deletesTheKeysOfOneDevice() {
    store().setIdentityKey("acct", new byte[] {1});
    DeviceAddress unlinked = new DeviceAddress("acct", 2);
    DeviceAddress kept = new DeviceAddress("acct", 1);
    for (DeviceAddress d : List.of(unlinked, kept)) {
      store().setSignedPreKey(d, key(1));
      store().setPqLastResortKey(d, key(2));
      store().addOneTimeEcKeys(d, List.of(key(3)));
    }
    store().deleteDevice(unlinked);
    assertThat(store().takeBundle(unlinked)).isEmpty();
    assertThat(store().count(unlinked)).isEqualTo(new KeyStore.Counts(0, 0));
    assertThat(store().takeBundle(kept)).isPresent();
    assertThat(store().identityKey("acct")).isPresent();
  }

  @Test
  void replacingTheIdentityKeyKeepsOne() {
    store().setIdentityKey("acct2", new byte[] {1});
    store().setIdentityKey("acct2", new byte[] {2});
    assertThat(store().identityKey("acct2")).get().isEqualTo(new byte[] {2});
  }

  @Test
  void concurrentCallersNeverGetTheSameOneTimeKey() throws Exception {
    DeviceAddress device = new DeviceAddress("popular", 1);
    store().setSignedPreKey(device, key(1));
    store().setPqLastResortKey(device, key(2));
    List<StoredKey> oneTime = new ArrayList<>();
    for (int id = 100; id < 140; id++) {
      oneTime.add(key(id));
    }
    store().addOneTimeEcKeys(device, oneTime);
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<Optional<Integer>>> taken = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        taken.add(callers.submit(() -> store().takeBundle(device).orElseThrow().oneTimeEc().map(StoredKey::keyId)));
      }
      List<Integer> handedOut = new ArrayList<>();
      for (Future<Optional<Integer>> f : taken) {
        f.get().ifPresent(handedOut::add);
      }
      assertThat(handedOut).as("each of the 40 keys once, then none").hasSize(40).doesNotHaveDuplicates();
    } finally {
      callers.shutdownNow();
    }
  }
}
