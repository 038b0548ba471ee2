package org.parley.client.internal.messaging.content;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.payments.PaymentRole;
import org.parley.client.internal.messaging.AfterCommit;
import org.parley.client.internal.messaging.ContentHandler;
import org.parley.client.internal.messaging.IncomingAttachments;
import org.parley.client.internal.messaging.IncomingContent;
import org.parley.client.internal.messaging.MessageEvents;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.messaging.Receipts;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.ReceiptMessage;
import org.parley.client.internal.store.ConversationTable;
import org.parley.client.internal.store.MessageTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Content.data}: a message from a contact (text, attachments, a place or a payment request), stored once and
 * answered with a delivery receipt; a payment status update changes the request it names instead.
 */
public final class DataMessageHandler implements ContentHandler {

  private static final Logger log = LoggerFactory.getLogger(DataMessageHandler.class);

  private final ConversationTable conversations;
  private final MessageTable messages;
  private final Receipts receipts;
  private final MessageEvents messageEvents;
  private final OutboxWorker outbox;
  private final Clock clock;
  private final IncomingAttachments attachments;
  private final PlacesAndPayments extras;

  public DataMessageHandler(ConversationTable conversations, MessageTable messages, Receipts receipts,
      MessageEvents messageEvents, OutboxWorker outbox, Clock clock, IncomingAttachments attachments,
      PlacesAndPayments extras) {
    this.attachments = attachments;
    this.extras = extras;
    this.conversations = conversations;
    this.messages = messages;
    this.receipts = receipts;
    this.messageEvents = messageEvents;
    this.outbox = outbox;
    this.clock = clock;
  }

  @Override
  public void handle(IncomingContent content, AfterCommit afterCommit) {
    DataMessage data = content.content().getData();
    String source = content.sourceAccount();
    if (PlacesAndPayments.isStatusUpdate(data)) {
      extras.statusUpdate(data, source, false, afterCommit);
      return;
    }
    PlacesAndPayments.Readable readable;
    try {
      readable = extras.read(data);
    } catch (InvalidInputException e) {
      log.warn("dropping a message from {} that breaks the rules: {}", source, e.getMessage());
      return;
    }
    long conversation = conversations.touch(source, data.getTimestamp());
    Optional<Long> id = messages.insertIncoming(conversation, source, content.sourceDevice(), readable.body(),
        data.getTimestamp(), content.envelope().getServerGuid(), clock.millis());
    id.ifPresent(messageId -> {
      attachments.store(messageId, false, data.getAttachmentsList(), afterCommit);
      extras.stored(messageId, readable, PaymentRole.PAYER, source);
      afterCommit.then(() -> messageEvents.received(messageId));
    });
    // A duplicate is acknowledged again: the sender may have resent because our first receipt was lost.
    receipts.queue(source, ReceiptMessage.Type.DELIVERY, List.of(data.getTimestamp()));
    afterCommit.then(() -> outbox.wake(false));
  }
}
