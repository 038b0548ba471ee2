package org.parley.client.internal.messaging;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.ReceiptMessage;
import org.parley.client.internal.store.OutboxTable;

/** Queues delivery and read receipts (E2E-encrypted Content, through the outbox like any message). */
public final class Receipts {

  private final OutboxTable outbox;
  private final Clock clock;
  private final Supplier<String> ownNumber;

  public Receipts(OutboxTable outbox, Clock clock, Supplier<String> ownNumber) {
    this.outbox = outbox;
    this.clock = clock;
    this.ownNumber = ownNumber;
  }

  public void queue(String toAccount, ReceiptMessage.Type type, List<Long> timestamps) {
    long now = clock.millis();
    Content content = Content.newBuilder().setSenderNumber(ownNumber.get())
        .setReceipt(ReceiptMessage.newBuilder().setType(type).addAllTimestamps(timestamps)).build();
    outbox.add(toAccount, Contents.encode(content), now, null, now);
  }
}
