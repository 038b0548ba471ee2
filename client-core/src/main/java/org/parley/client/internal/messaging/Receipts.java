package org.parley.client.internal.messaging;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
    long now = clock.millis();
    for (List<Long> chunk : chunks(timestamps, MAX_TIMESTAMPS)) {
      Content content = Content.newBuilder().setSenderNumber(ownNumber.get())
          .setReceipt(ReceiptMessage.newBuilder().setType(type).addAllTimestamps(chunk)).build();
      outbox.add(toAccount, Contents.encode(content), now, null, now);
    }
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
