package org.parley.client.internal.messaging.content;

import java.time.Clock;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.payments.PaymentRole;
import org.parley.client.internal.messaging.AfterCommit;
import org.parley.client.internal.messaging.ContentHandler;
import org.parley.client.internal.messaging.IncomingAttachments;
import org.parley.client.internal.messaging.IncomingContent;
import org.parley.client.internal.messaging.MessageEvents;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.SyncMessage;
import org.parley.client.internal.store.ContactTable;
import org.parley.client.internal.store.ConversationTable;
import org.parley.client.internal.store.MessageTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Content.sync}, from another device of our account only: a message it sent (stored as ours) and messages it
 * read (read here too), so every device keeps the same history.
 */
public final class SyncHandler implements ContentHandler {

  private static final Logger log = LoggerFactory.getLogger(SyncHandler.class);

  private final ContactTable contacts;
  private final ConversationTable conversations;
  private final MessageTable messages;
  private final MessageEvents messageEvents;
  private final Clock clock;
  private final IncomingAttachments attachments;
  private final PlacesAndPayments extras;

  public SyncHandler(ContactTable contacts, ConversationTable conversations, MessageTable messages,
      MessageEvents messageEvents, Clock clock, IncomingAttachments attachments, PlacesAndPayments extras) {
    this.attachments = attachments;
    this.extras = extras;
    this.contacts = contacts;
    this.conversations = conversations;
    this.messages = messages;
    this.messageEvents = messageEvents;
    this.clock = clock;
  }

  @Override
  public void handle(IncomingContent content, AfterCommit afterCommit) {
    if (!content.fromOwnAccount()) {
      log.warn("ignoring a sync message from another account {}", content.sourceAccount());
      return;
    }
    SyncMessage sync = content.content().getSync();
    String ownAccount = content.ownAccount();
    if (sync.hasSent()) {
      SyncMessage.Sent sent = sync.getSent();
      contacts.put(sent.getDestinationAccount(), sent.getDestinationNumber(), clock.millis());
      sent(sent, ownAccount, content.sourceDevice(), afterCommit);
    }
    readSyncs(sync, afterCommit);
  }

  /** A message another device of ours sent: stored as ours (a payment status updates its request instead). */
  private void sent(SyncMessage.Sent sent, String ownAccount, int sourceDevice, AfterCommit afterCommit) {
    DataMessage data = sent.getMessage();
    if (PlacesAndPayments.isStatusUpdate(data)) {
      extras.statusUpdate(data, sent.getDestinationAccount(), true, afterCommit);
      return;
    }
    PlacesAndPayments.Readable readable;
    try {
      readable = extras.read(data);
    } catch (InvalidInputException e) {
      log.warn("dropping a sent-message sync that breaks the rules: {}", e.getMessage());
      return;
    }
    long conversation = conversations.touch(sent.getDestinationAccount(), data.getTimestamp());
    if (messages.outgoing(conversation, ownAccount, data.getTimestamp()).isEmpty()) {
      long id = messages.insertOutgoing(conversation, ownAccount, sourceDevice, readable.body(), data.getTimestamp(),
          MessageStatus.SENT);
      // The other device has the files; this one downloads them like received ones.
      attachments.store(id, true, data.getAttachmentsList(), afterCommit);
      extras.stored(id, readable, PaymentRole.REQUESTER, sent.getDestinationAccount());
      afterCommit.then(() -> messageEvents.statusChanged(id));
    }
  }

  private void readSyncs(SyncMessage sync, AfterCommit afterCommit) {
    for (SyncMessage.Read read : sync.getReadList()) {
      // One lookup on the (sender, timestamp) key per entry: a read-sync carries up to 500 of them.
      messages.bySender(read.getSenderAccount(), read.getTimestamp())
          .filter(row -> row.direction() == Message.Direction.INCOMING)
          .ifPresent(row -> {
            if (messages.advance(row.id(), MessageStatus.READ, clock.millis())) {
              afterCommit.then(() -> messageEvents.statusChanged(row.id()));
            }
          });
    }
  }
}
