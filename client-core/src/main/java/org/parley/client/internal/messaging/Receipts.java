package org.parley.client.internal.messaging;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.ReceiptMessage;
import org.parley.client.internal.store.OutboxTable;

/** Queues delivery and read receipts (E2E-encrypted Content, through the outbox like any message). */
public final class Receipts {

  /** The most timestamps one receipt (or one read-sync) carries. */
  public static final int MAX_TIMESTAMPS = 500;

  private final OutboxTable outbox;
  private final Clock clock;
  private final Supplier<String> ownNumber;
  /** The inbox thread while it collects a batch's delivery receipts; only that thread touches {@link #batch}. */
  private volatile Thread batchThread;
  private final List<Pending> batch = new ArrayList<>();

  private record Pending(String toAccount, long timestamp) {}

  public Receipts(OutboxTable outbox, Clock clock, Supplier<String> ownNumber) {
    this.outbox = outbox;
    this.clock = clock;
    this.ownNumber = ownNumber;
  }

  /**
   * Queues receipts for {@code timestamps}: one outbox row per {@link #MAX_TIMESTAMPS} of them, so a receipt stays
   * a few KB (a timestamp is at most 10 bytes on the wire) however large the backlog — far below the outbox column
   * and the server's 64 KiB ciphertext limit.
   */
  public void queue(String toAccount, ReceiptMessage.Type type, List<Long> timestamps) {
    if (type == ReceiptMessage.Type.DELIVERY && Thread.currentThread() == batchThread) {
      for (Long timestamp : timestamps) {
        batch.add(new Pending(toAccount, timestamp));
      }
      return;
    }
    long now = clock.millis();
    for (List<Long> chunk : chunks(timestamps, MAX_TIMESTAMPS)) {
      Content content = Content.newBuilder().setSenderNumber(ownNumber.get())
          .setReceipt(ReceiptMessage.newBuilder().setType(type).addAllTimestamps(chunk)).build();
      outbox.add(toAccount, Contents.encode(content), now, null, now);
    }
  }

  /**
   * From now until {@link #endBatch}, delivery receipts queued by this thread are collected instead of written, so a
   * batch of received messages queues one receipt per sender (up to {@link #MAX_TIMESTAMPS} timestamps each) rather
   * than one per message. The inbox calls this inside its batch transaction.
   */
  public void beginBatch() {
    batchThread = Thread.currentThread();
    batch.clear();
  }

  /** How many delivery receipts the batch holds: a mark to {@link #forgetAfter} when a message rolls back. */
  public int batchMark() {
    return batch.size();
  }

  /** Forgets the batch's receipts queued after {@code mark} (their message was rolled back). */
  public void forgetAfter(int mark) {
    batch.subList(mark, batch.size()).clear();
  }

  /** Queues the batch's delivery receipts, merged per sender in the order they came, and stops collecting. */
  public void endBatch() {
    batchThread = null;
    Map<String, List<Long>> bySender = new LinkedHashMap<>();
    for (Pending pending : batch) {
      bySender.computeIfAbsent(pending.toAccount(), k -> new ArrayList<>()).add(pending.timestamp());
    }
    batch.clear();
    bySender.forEach((toAccount, timestamps) -> queue(toAccount, ReceiptMessage.Type.DELIVERY, timestamps));
  }

  /** Stops collecting and drops what was collected (the batch's transaction rolled back). */
  public void abandonBatch() {
    batchThread = null;
    batch.clear();
  }

  /** {@code items} cut into consecutive lists of at most {@code size}. */
  public static <T> List<List<T>> chunks(List<T> items, int size) {
    List<List<T>> result = new ArrayList<>();
    for (int from = 0; from < items.size(); from += size) {
      result.add(items.subList(from, Math.min(items.size(), from + size)));
    }
    return result;
  }
}
