package org.parley.client.internal.messaging.content;

import java.time.Clock;
import java.util.Optional;
import org.parley.client.api.MessageStatus;
import org.parley.client.internal.messaging.AfterCommit;
import org.parley.client.internal.messaging.ContentHandler;
import org.parley.client.internal.messaging.IncomingContent;
import org.parley.client.internal.messaging.MessageEvents;
import org.parley.client.internal.proto.ReceiptMessage;
import org.parley.client.internal.store.ConversationTable;
import org.parley.client.internal.store.MessageTable;

/** {@code Content.receipt}: our messages to the sender were delivered or read (statuses never go back). */
public final class ReceiptHandler implements ContentHandler {

  private final ConversationTable conversations;
  private final MessageTable messages;
  private final MessageEvents messageEvents;
  private final Clock clock;

  public ReceiptHandler(ConversationTable conversations, MessageTable messages, MessageEvents messageEvents,
      Clock clock) {
    this.conversations = conversations;
    this.messages = messages;
    this.messageEvents = messageEvents;
    this.clock = clock;
  }

  @Override
  public void handle(IncomingContent content, AfterCommit afterCommit) {
    ReceiptMessage receipt = content.content().getReceipt();
    MessageStatus status = receipt.getType() == ReceiptMessage.Type.READ ? MessageStatus.READ
        : MessageStatus.DELIVERED;
    Optional<ConversationTable.Row> conversation = conversations.byContact(content.sourceAccount());
    if (conversation.isEmpty()) {
      return;
    }
    for (long timestamp : receipt.getTimestampsList()) {
      messages.outgoing(conversation.get().id(), content.ownAccount(), timestamp).ifPresent(message -> {
        if (messages.advance(message.id(), status, clock.millis())) {
          afterCommit.then(() -> messageEvents.statusChanged(message.id()));
        }
      });
    }
  }
}
