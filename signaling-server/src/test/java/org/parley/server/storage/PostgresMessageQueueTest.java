package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.server.storage.jdbc.Database;
import org.parley.server.support.PostgresTestCluster;

/** The contract against a real PostgreSQL server, and what several servers sharing one database rely on. */
class PostgresMessageQueueTest extends MessageQueueContract {

  private String url;
  private final JdbcQueues queues = new JdbcQueues(() -> Database.open(url, PostgresTestCluster.USER, "", 4));

  @Override
  protected MessageQueue newQueue() {
    url = PostgresTestCluster.shared().newDatabase();
    return queues.open();
  }

  @Override
  protected MessageQueue reopen(MessageQueue closed) {
    return queues.reopen(closed);
  }

  @AfterEach
  void closeDatabases() {
    queues.closeAll();
  }

  @Test
  void twoServersOnOneDatabaseNeverShareAnIdAndSeeEachOthersMessages() {
    MessageQueue other = queues.open();
    DeviceAddress bob = new DeviceAddress("bob", 1);
    Set<Long> ids = new HashSet<>();
    List<QueuedMessage> fromFirst = new ArrayList<>();
    List<QueuedMessage> fromOther = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      long a = queue.nextId();
      long b = other.nextId();
      assertThat(ids.add(a)).isTrue();
      assertThat(ids.add(b)).isTrue();
      if (i % 100 == 0) {
        fromFirst.add(new QueuedMessage(a, bob, UUID.randomUUID().toString(), 0, FAR_FUTURE, new byte[] {1}));
        fromOther.add(new QueuedMessage(b, bob, UUID.randomUUID().toString(), 0, FAR_FUTURE, new byte[] {2}));
      }
    }
    queue.insert(fromFirst).join();
    other.insert(fromOther).join();
    assertThat(queue.fetch(bob, 0, 100)).hasSize(30);
    assertThat(other.fetch(bob, 0, 100)).hasSize(30);
    QueuedMessage stored = other.fetch(bob, 0, 100).stream().filter(m -> m.envelope()[0] == 1).findFirst()
        .orElseThrow();
    assertThat(other.delete(bob, stored.id()).join()).as("one server deletes what another stored").isTrue();
    assertThat(queue.fetch(bob, 0, 100)).hasSize(29);
  }

  @Test
  void depthsAndTotalsCountWhatEveryServerStoredAndDeleted() throws Exception {
    MessageQueue other = queues.open();
    DeviceAddress carol = new DeviceAddress("carol", 1);
    List<QueuedMessage> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add(new QueuedMessage(queue.nextId(), carol, UUID.randomUUID().toString(), 0, FAR_FUTURE, new byte[100]));
    }
    queue.insert(sent).join();
    assertThat(other.depth(carol)).as("stored by the first server, seen by the other").isEqualTo(10);
    for (QueuedMessage m : sent.subList(0, 4)) {
      assertThat(other.delete(carol, m.id()).join()).isTrue();
    }
    assertThat(queue.depth(carol)).as("acknowledged through the other server (first read here)").isEqualTo(6);
    assertThat(other.totalDepth()).isEqualTo(6);
    assertThat(other.storedBytes()).isEqualTo(600);
    // The first server's totals are at most a second old.
    Thread.sleep(1100);
    assertThat(queue.totalDepth()).isEqualTo(6);
    assertThat(queue.storedBytes()).isEqualTo(600);
    other.deleteAll("carol");
    assertThat(other.depth(carol)).isZero();
    Thread.sleep(1100);
    assertThat(queue.depth(carol)).as("on the first server within a second").isZero();
    assertThat(queue.purgeExpired(Long.MAX_VALUE)).isZero();
  }
}
