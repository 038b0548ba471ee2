package org.parley.server.storage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Per-device store-and-forward queues. Implementations must make an insert durable before its future completes
 * (the sender's "sent" tick depends on it) and keep each device's queue in id order.
 */
public interface MessageQueue extends AutoCloseable {

  /** A fresh id, greater than every id handed out before (also across restarts). */
  long nextId();

  /** Stores the messages; completes once they are durable, exceptionally when they could not be stored. */
  CompletableFuture<Void> insert(List<QueuedMessage> messages);

  /** Up to {@code limit} messages of the device with id greater than {@code afterId}, oldest first. */
  List<QueuedMessage> fetch(DeviceAddress device, long afterId, int limit);

  /** Deletes the device's message with that id; true when there was one. Other devices' messages are untouched. */
  CompletableFuture<Boolean> delete(DeviceAddress device, long id);

  /** Deletes the device's message with that server GUID; true when there was one. */
  CompletableFuture<Boolean> deleteByGuid(DeviceAddress device, String guid);

  /** Completes once every insert and delete submitted before it has been applied. */
  CompletableFuture<Void> sync();

  /** Messages waiting for the device. */
  long depth(DeviceAddress device);

  /** Messages waiting for all devices. */
  long totalDepth();

  /**
   * Bytes the waiting messages take in storage: at least their envelopes added up, plus each implementation's own
   * per-message overhead; zero when nothing waits. The server's queue budget is checked against it (issue #17).
   */
  long storedBytes();

  /** Drops the queues of every device of the account. */
  void deleteAll(String accountId);

  /**
   * Drops the queue of one device (an unlinked one), through {@link #fetch} and {@link #delete}, so any queue
   * implementation can do it without a record type of its own.
   */
  default void deleteDevice(DeviceAddress device) {
    long after = 0;
    for (List<QueuedMessage> batch = fetch(device, after, 500); !batch.isEmpty();
        batch = fetch(device, after, 500)) {
      for (QueuedMessage message : batch) {
        delete(device, message.id()).join();
        after = Math.max(after, message.id());
      }
    }
  }

  /** Deletes messages whose expiry is before {@code nowMillis}; returns how many. */
  int purgeExpired(long nowMillis);

  @Override
  void close();
}
