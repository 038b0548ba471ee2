package org.parley.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.server.cluster.SingleNode;
import org.parley.server.storage.Device;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.jdbc.Database;
import org.parley.server.storage.jdbc.JdbcAccountStore;

/**
 * Two servers' account caches over one database, with the change announcement between them lost (each hears
 * nothing: a failed PUBLISH, ADR 0151): the time to live bounds how long the other server keeps the old device list.
 */
class AccountCacheTtlTest {

  private static final Duration TTL = Duration.ofSeconds(30);
  private Database database;
  private final AtomicLong nanos = new AtomicLong(1_000);

  @BeforeEach
  void open() throws Exception {
    database = Database.embeddedH2(Files.createTempDirectory("parley-accounts"));
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void aChangeWhoseAnnouncementWasLostIsSeenOnceTheCopyIsOlderThanTheTtl() {
    AccountsService changing = new AccountsService(new JdbcAccountStore(database), new SingleNode(), TTL, nanos::get);
    AccountsService other = new AccountsService(new JdbcAccountStore(database), new SingleNode(), TTL, nanos::get);
    changing.register("+15550001501", "acc-1", new Device(1, 7, "h", "phone", 1, 1));
    assertThat(other.find("acc-1").orElseThrow().devices()).hasSize(1);

    changing.addDevice("acc-1", new Device(0, 8, "h2", "laptop", 2, 2), 5);
    nanos.addAndGet(TTL.toNanos() - 1);
    assertThat(other.find("acc-1").orElseThrow().devices()).as("still the cached copy").hasSize(1);
    nanos.addAndGet(1);
    assertThat(other.find("acc-1").orElseThrow().devices()).as("read again after the TTL").hasSize(2);
    // The fresh copy is cached again: another change unheard of stays unseen until the next TTL.
    changing.removeDevice(new DeviceAddress("acc-1", 2));
    assertThat(other.find("acc-1").orElseThrow().devices()).hasSize(2);
    nanos.addAndGet(TTL.toNanos());
    assertThat(other.find("acc-1").orElseThrow().devices()).hasSize(1);
  }

  @Test
  void withoutATtlALostAnnouncementLeavesTheCopyStaleForGood() {
    AccountsService changing = new AccountsService(new JdbcAccountStore(database), new SingleNode());
    AccountsService other = new AccountsService(new JdbcAccountStore(database), new SingleNode());
    changing.register("+15550001502", "acc-2", new Device(1, 7, "h", "phone", 1, 1));
    assertThat(other.find("acc-2").orElseThrow().devices()).hasSize(1);
    changing.addDevice("acc-2", new Device(0, 8, "h2", "laptop", 2, 2), 5);
    assertThat(other.find("acc-2").orElseThrow().devices()).hasSize(1);
  }

  @Test
  void anUnknownAccountIsNotFoundAndNotCached() {
    AccountsService accounts = new AccountsService(new JdbcAccountStore(database), new SingleNode(), TTL, nanos::get);
    assertThat(accounts.find("nobody")).isEmpty();
    AccountsService registering = new AccountsService(new JdbcAccountStore(database), new SingleNode());
    registering.register("+15550001503", "nobody", new Device(1, 7, "h", "phone", 1, 1));
    assertThat(accounts.find("nobody")).isPresent();
  }
}
