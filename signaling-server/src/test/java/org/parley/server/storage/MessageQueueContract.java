package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageQueue} must do, written once. Each implementation's test extends this and supplies a
 * fresh, empty queue.
 */
public abstract class MessageQueueContract {

  protected static final long FAR_FUTURE = Long.MAX_VALUE / 2;
  protected MessageQueue queue;

  protected abstract MessageQueue newQueue() throws Exception;

  /** The same storage, opened again (as after a restart). */
  protected abstract MessageQueue reopen(MessageQueue closed) throws Exception;

  @BeforeEach
  void open() throws Exception {
    queue = newQueue();
  }

  @AfterEach
  void closeQueue() {
    queue.close();
  }

  private QueuedMessage message(DeviceAddress to, String body, long expiresAt) {
    return new QueuedMessage(queue.nextId(), to, UUID.randomUUID().toString(), 0, expiresAt, body.getBytes());
  }

  private static List<String> bodies(List<QueuedMessage> messages) {
    return messages.stream().map(m -> new String(m.envelope())).toList();
  }

  @Test
  void keepsEachDevicesQueueInOrderAndApart() {
    DeviceAddress bob1 = new DeviceAddress("bob", 1);
    DeviceAddress bob2 = new DeviceAddress("bob", 2);
    queue.insert(List.of(message(bob1, "a", FAR_FUTURE), message(bob2, "x", FAR_FUTURE))).join();
    queue.insert(List.of(message(bob1, "b", FAR_FUTURE))).join();
    assertThat(bodies(queue.fetch(bob1, 0, 10))).containsExactly("a", "b");
    assertThat(bodies(queue.fetch(bob2, 0, 10))).containsExactly("x");
    assertThat(queue.depth(bob1)).isEqualTo(2);
    assertThat(queue.totalDepth()).isEqualTo(3);
  }

  @Test
  void pagesByIdAndLimit() {
    DeviceAddress d = new DeviceAddress("a", 1);
    List<QueuedMessage> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(message(d, "m" + i, FAR_FUTURE));
    }
    queue.insert(all).join();
    List<QueuedMessage> first = queue.fetch(d, 0, 4);
    assertThat(bodies(first)).containsExactly("m0", "m1", "m2", "m3");
    assertThat(bodies(queue.fetch(d, first.get(3).id(), 100))).containsExactly("m4", "m5", "m6", "m7", "m8", "m9");
  }

  @Test
  void deletesOnlyTheOwningDevicesMessage() {
    DeviceAddress owner = new DeviceAddress("a", 1);
    DeviceAddress other = new DeviceAddress("b", 1);
    QueuedMessage m = message(owner, "secret", FAR_FUTURE);
    queue.insert(List.of(m)).join();
    assertThat(queue.delete(other, m.id()).join()).isFalse();
    assertThat(queue.deleteByGuid(other, m.guid()).join()).isFalse();
    assertThat(queue.depth(owner)).isEqualTo(1);
    assertThat(queue.delete(owner, m.id()).join()).isTrue();
    assertThat(queue.delete(owner, m.id()).join()).as("twice").isFalse();
    assertThat(queue.fetch(owner, 0, 10)).isEmpty();
    assertThat(queue.depth(owner)).isZero();
  }

  @Test
  void deletesSubmittedTogetherCountEachMessageOnce() {
    DeviceAddress d = new DeviceAddress("a", 1);
    List<QueuedMessage> stored = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      stored.add(message(d, "m" + i, FAR_FUTURE));
    }
    queue.insert(stored).join();
    List<CompletableFuture<Boolean>> results = new ArrayList<>();
    for (QueuedMessage m : stored) {
      // Each message acknowledged twice and also deleted by GUID, all without waiting: one of the three finds it.
      results.add(queue.delete(d, m.id()));
      results.add(queue.delete(d, m.id()));
      results.add(queue.deleteByGuid(d, m.guid()));
    }
    assertThat(results.stream().filter(CompletableFuture::join).count()).isEqualTo(50);
    assertThat(queue.depth(d)).isZero();
    assertThat(queue.totalDepth()).isZero();
    assertThat(queue.storedBytes()).isZero();
    assertThat(queue.fetch(d, 0, 100)).isEmpty();
  }

  @Test
  void deletesByGuid() {
    DeviceAddress d = new DeviceAddress("a", 1);
    QueuedMessage m = message(d, "x", FAR_FUTURE);
    queue.insert(List.of(m)).join();
    assertThat(queue.deleteByGuid(d, m.guid()).join()).isTrue();
    assertThat(queue.totalDepth()).isZero();
  }

  @Test
  void expiredMessagesAreNotDeliveredAndArePurged() {
    DeviceAddress d = new DeviceAddress("a", 1);
    queue.insert(List.of(message(d, "old", 1000), message(d, "new", FAR_FUTURE))).join();
    assertThat(bodies(queue.fetch(d, 0, 10))).containsExactly("new");
    assertThat(queue.purgeExpired(2000)).isEqualTo(1);
    assertThat(queue.depth(d)).isEqualTo(1);
  }

  @Test
  void dropsTheQueueOfOneDevice() {
    DeviceAddress unlinked = new DeviceAddress("a", 2);
    List<QueuedMessage> many = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      many.add(message(unlinked, "m" + i, FAR_FUTURE));
    }
    many.add(message(new DeviceAddress("a", 1), "kept", FAR_FUTURE));
    queue.insert(many).join();
    queue.deleteDevice(unlinked);
    assertThat(queue.depth(unlinked)).isZero();
    assertThat(bodies(queue.fetch(new DeviceAddress("a", 1), 0, 10))).containsExactly("kept");
  }

  @Test
  void dropsEveryQueueOfAnAccount() {
    queue.insert(List.of(message(new DeviceAddress("a", 1), "1", FAR_FUTURE),
        message(new DeviceAddress("a", 2), "2", FAR_FUTURE),
        message(new DeviceAddress("b", 1), "3", FAR_FUTURE))).join();
    queue.deleteAll("a");
    assertThat(queue.fetch(new DeviceAddress("a", 1), 0, 10)).isEmpty();
    assertThat(queue.fetch(new DeviceAddress("a", 2), 0, 10)).isEmpty();
    assertThat(queue.totalDepth()).isEqualTo(1);
  }

  @Test
  void concurrentInsertsAllLandAndIdsStayUnique() {
    DeviceAddress d = new DeviceAddress("a", 1);
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      int n = i;
      writes.add(CompletableFuture.supplyAsync(() -> message(d, "m" + n, FAR_FUTURE))
          .thenCompose(m -> queue.insert(List.of(m))));
    }
    writes.forEach(CompletableFuture::join);
    assertThat(queue.depth(d)).isEqualTo(2000);
    assertThat(queue.fetch(d, 0, 5000)).hasSize(2000)
        .extracting(QueuedMessage::id).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void survivesReopeningWithIdsStillIncreasing() throws Exception {
    DeviceAddress d = new DeviceAddress("a", 1);
    QueuedMessage before = message(d, "before", FAR_FUTURE);
    queue.insert(List.of(before)).join();
    queue = reopen(queue);
    assertThat(bodies(queue.fetch(d, 0, 10))).containsExactly("before");
    assertThat(queue.depth(d)).isEqualTo(1);
    assertThat(queue.nextId()).isGreaterThan(before.id());
  }

  @Test
  void syncWaitsForEarlierWork() {
    DeviceAddress d = new DeviceAddress("a", 1);
    QueuedMessage m = message(d, "x", FAR_FUTURE);
    queue.insert(List.of(m)).join();
    queue.delete(d, m.id());
    queue.sync().join();
    assertThat(queue.fetch(d, 0, 10)).isEmpty();
  }

  /** Per-message overhead an implementation may add to the envelope bytes (record headers, GUID, address). */
  private static final long OVERHEAD = 256;

  @Test
  void storedBytesFollowWhatWaitsAcrossDeletesPurgesAndRestarts() throws Exception {
    DeviceAddress bob = new DeviceAddress("bob", 1);
    DeviceAddress carol = new DeviceAddress("carol", 1);
    assertThat(queue.storedBytes()).isZero();
    QueuedMessage small = message(bob, "s".repeat(1_000), FAR_FUTURE);
    QueuedMessage large = message(bob, "l".repeat(3_000), FAR_FUTURE);
    QueuedMessage expiring = message(bob, "e".repeat(2_000), 1_000);
    QueuedMessage other = message(carol, "o".repeat(500), FAR_FUTURE);
    queue.insert(List.of(small, large, expiring, other)).join();
    assertThat(queue.storedBytes()).isBetween(6_500L, 6_500L + 4 * OVERHEAD);

    assertThat(queue.delete(bob, large.id()).join()).isTrue();
    assertThat(queue.delete(bob, large.id()).join()).isFalse();
    assertThat(queue.storedBytes()).isBetween(3_500L, 3_500L + 3 * OVERHEAD);

    assertThat(queue.purgeExpired(2_000)).isEqualTo(1);
    long afterPurge = queue.storedBytes();
    assertThat(afterPurge).isBetween(1_500L, 1_500L + 2 * OVERHEAD);

    queue = reopen(queue);
    assertThat(queue.storedBytes()).isEqualTo(afterPurge);

    queue.deleteAll("carol");
    assertThat(queue.storedBytes()).isBetween(1_000L, 1_000L + OVERHEAD);
    assertThat(queue.deleteByGuid(bob, small.guid()).join()).isTrue();
    assertThat(queue.storedBytes()).isZero();
  }
}
