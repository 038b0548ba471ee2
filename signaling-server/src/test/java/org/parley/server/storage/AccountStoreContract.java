package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link AccountStore} must do. */
public abstract class AccountStoreContract {

  protected abstract AccountStore store();

  private static Device primary(int registrationId, String hash) {
    return new Device(1, registrationId, hash, "phone", 1000, 1000);
  }

  @Test
  void createsFindsAndReplacesOnReregistration() {
    AccountStore.Registration first = store().register("+15550000001", "id-1", primary(11, "h1"));
    assertThat(first.reregistered()).isFalse();
    assertThat(store().findById("id-1")).get().satisfies(a -> {
      assertThat(a.number()).isEqualTo("+15550000001");
      assertThat(a.devices()).extracting(Device::registrationId).containsExactly(11);
    });
    assertThat(store().findByNumber("+15550000001")).get().extracting(Account::accountId).isEqualTo("id-1");

    AccountStore.Registration again = store().register("+15550000001", "id-2", primary(22, "h2"));
    assertThat(again.reregistered()).isTrue();
    assertThat(again.replacedDevices()).containsExactly(1);
    assertThat(again.account().accountId()).as("the account keeps its id").isEqualTo("id-1");
    assertThat(store().findById("id-1").orElseThrow().devices())
        .extracting(Device::passwordHash).containsExactly("h2");
    assertThat(store().findById("id-2")).isEmpty();
  }

  @Test
  void unknownAccountsAreEmpty() {
    assertThat(store().findById("nope")).isEmpty();
    assertThat(store().findByNumber("+15550000099")).isEmpty();
  }

  @Test
  void recordsLastSeen() {
    store().register("+15550000002", "id-3", primary(1, "h"));
    store().updateLastSeen(new DeviceAddress("id-3", 1), 5555);
    assertThat(store().findById("id-3").orElseThrow().devices()).extracting(Device::lastSeen)
        .isEqualTo(List.of(5555L));
  }

  @Test
  void linkedDevicesGetTheNextIdUpToTheLimitAndCanBeRemoved() {
    store().register("+15550000003", "id-4", primary(1, "h"));
    Device linked = new Device(0, 2, "h2", "desktop", 2000, 2000);
    assertThat(store().addDevice("id-4", linked, 3).orElseThrow().devices()).extracting(Device::deviceId)
        .containsExactly(1, 2);
    assertThat(store().addDevice("id-4", linked, 3).orElseThrow().devices()).extracting(Device::deviceId)
        .containsExactly(1, 2, 3);
    assertThat(store().addDevice("id-4", linked, 3)).as("full").isEmpty();
    assertThat(store().addDevice("nope", linked, 3)).isEmpty();

    assertThat(store().removeDevice(new DeviceAddress("id-4", 2))).isTrue();
    assertThat(store().removeDevice(new DeviceAddress("id-4", 2))).isFalse();
    assertThat(store().findById("id-4").orElseThrow().devices()).extracting(Device::deviceId).containsExactly(1, 3);
    // Ids are not handed out twice while a higher one exists.
    assertThat(store().addDevice("id-4", linked, 3).orElseThrow().devices()).extracting(Device::deviceId)
        .containsExactly(1, 3, 4);
  }

  @Test
  void concurrentFirstRegistrationsOfOneNumberMakeOneAccount() throws Exception {
    // One store for all callers, made here: store() makes it on first use, and four first uses at once would
    // migrate the schema four times concurrently (a Flyway race, not what this test is about).
    AccountStore accounts = store();
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<AccountStore.Registration>> done = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int n = i;
        done.add(callers.submit(() -> accounts.register("+15550000077", "race-" + n, primary(n, "h" + n))));
      }
      Set<String> ids = new HashSet<>();
      for (Future<AccountStore.Registration> f : done) {
        ids.add(f.get().account().accountId());
      }
      assertThat(ids).as("every registration landed on the same account").hasSize(1);
      assertThat(store().findByNumber("+15550000077").orElseThrow().devices()).hasSize(1);
    } finally {
      callers.shutdownNow();
    }
  }
}
