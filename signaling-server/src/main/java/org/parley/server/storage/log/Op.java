package org.parley.server.storage.log;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.QueuedMessage;

/**
 * One request to the {@link LogMessageQueue} writer thread; its future completes with {@link #result} once the batch
 * holding it is written.
 */
abstract class Op<T> {
  final CompletableFuture<T> done = new CompletableFuture<>();
  T result;

  Op(T initial) {
    this.result = initial;
  }

  final void complete() {
    done.complete(result);
  }

  final void fail(Throwable error) {
    done.completeExceptionally(error);
  }

  static final class Insert extends Op<Void> {
    final List<QueuedMessage> messages;

    Insert(List<QueuedMessage> messages) {
      super(null);
      this.messages = messages;
    }
  }

  /** Result: whether the device had that message. */
  static final class Delete extends Op<Boolean> {
    final DeviceAddress device;
    final long id;

    Delete(DeviceAddress device, long id) {
      super(false);
      this.device = Objects.requireNonNull(device);
      this.id = id;
    }
  }

  /** Result: whether the device had that message. */
  static final class DeleteByGuid extends Op<Boolean> {
    final DeviceAddress device;
    final String guid;

    DeleteByGuid(DeviceAddress device, String guid) {
      super(false);
      this.device = Objects.requireNonNull(device);
      this.guid = guid;
    }
  }

  static final class DeleteAccount extends Op<Void> {
    final String accountId;

    DeleteAccount(String accountId) {
      super(null);
      this.accountId = Objects.requireNonNull(accountId);
    }
  }

  /** Result: how many messages expired. */
  static final class Purge extends Op<Integer> {
    final long nowMillis;

    Purge(long nowMillis) {
      super(0);
      this.nowMillis = nowMillis;
    }
  }

  /** Sync, and the test hooks roll and compact: no data, completes with its batch. */
  static final class Barrier extends Op<Void> {
    static final int SYNC = 0;
    static final int ROLL = 1;
    static final int COMPACT = 2;
    final int kind;

    Barrier(int kind) {
      super(null);
      this.kind = kind;
    }
  }
}
