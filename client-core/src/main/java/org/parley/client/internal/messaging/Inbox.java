package org.parley.client.internal.messaging;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NetworkException;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.ReceiptMessage;
import org.parley.client.internal.proto.SyncMessage;
import org.parley.client.internal.store.ContactTable;
import org.parley.client.internal.store.ConversationTable;
import org.parley.client.internal.store.IdentityTable;
import org.parley.client.internal.store.MessageTable;
import org.parley.client.internal.store.OutboxTable;
import org.parley.client.internal.store.ProcessedEnvelopeTable;
import org.parley.protocol.Envelope;
import org.signal.libsignal.protocol.DuplicateMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incoming envelopes: decrypt, store, then acknowledge — in that order. Decryption (which advances the session),
 * the stored message, the delivery receipt in the outbox and the envelope's GUID commit in one transaction, so a
 * crash before the commit leaves nothing behind (the server delivers again) and a crash after it but before the ack
 * makes the redelivered copy a known GUID that is only acknowledged.
 */
public final class Inbox {

  /** What happened, reported after the commit. */
  public sealed interface Effect {
    /** A new incoming message (local id). */
    record Received(long messageId) implements Effect {}

    /** An outgoing message's status moved (local id). */
    record StatusChanged(long messageId) implements Effect {}

    /** A contact started or stopped typing. */
    record Typing(String accountId, boolean started, long timestamp) implements Effect {}

    /** Outbox rows were added. */
    record OutboxChanged() implements Effect {}

    /** Call signaling from a contact's device (handled by the call manager after the commit). */
    record Call(String accountId, int deviceId, String number, boolean ephemeral, long serverTimestamp,
        org.parley.client.internal.proto.CallMessage message) implements Effect {}
  }

  /** A message whose claimed sender number belongs to another account (or to none). */
  static final class ForgedSenderException extends Exception {
    private static final long serialVersionUID = 1L;

    ForgedSenderException(String message) {
      super(message);
    }
  }

  /** The outcome for the server: acknowledge (200) or not (500: deliver again later). */
  public record Result(int status, List<Effect> effects) {}

  private static final Logger log = LoggerFactory.getLogger(Inbox.class);

  private final Database db;
  private final SessionCrypto crypto;
  private final IdentityTable identities;
  private final ContactTable contacts;
  private final ConversationTable conversations;
  private final MessageTable messages;
  private final OutboxTable outbox;
  private final ProcessedEnvelopeTable processed;
  private final Receipts receipts;
  private final Clock clock;
  private final String ownAccount;

  public Inbox(Database db, SessionCrypto crypto, IdentityTable identities, ContactTable contacts,
      ConversationTable conversations, MessageTable messages, OutboxTable outbox, ProcessedEnvelopeTable processed,
      Receipts receipts, Clock clock, String ownAccount) {
    this.db = db;
    this.crypto = crypto;
    this.identities = identities;
    this.contacts = contacts;
    this.conversations = conversations;
    this.messages = messages;
    this.outbox = outbox;
    this.processed = processed;
    this.receipts = receipts;
    this.clock = clock;
    this.ownAccount = ownAccount;
  }

  public Result process(Envelope envelope) {
    boolean ephemeral = envelope.getEphemeral() || envelope.getServerGuid().isEmpty();
    if (!ephemeral && processed.seen(envelope.getServerGuid())) {
      return new Result(200, List.of());
    }
    List<Effect> effects = new ArrayList<>();
    try {
      db.run(c -> {
        byte[] plaintext = crypto.decrypt(envelope);
        Content content = Contents.decode(plaintext);
        apply(envelope, content, effects);
        if (!ephemeral) {
          processed.record(envelope.getServerGuid(), clock.millis());
        }
      });
    } catch (org.parley.client.internal.db.StoreException e) {
      Throwable cause = e.getCause();
      if (cause instanceof DuplicateMessageException) {
        log.debug("duplicate ciphertext {} from {}", envelope.getServerGuid(), envelope.getSourceAccount());
      } else if (isLocalFailure(cause)) {
        log.warn("cannot store envelope {}: {}", envelope.getServerGuid(), cause.toString());
        return new Result(500, List.of());
      } else {
        // Cannot be decrypted or parsed now or ever: acknowledging it is the only way to stop a poison loop.
        log.warn("dropping envelope {} from {}.{}: {}", envelope.getServerGuid(),
            envelope.getSourceAccount(), envelope.getSourceDevice(), cause.toString());
      }
      if (!ephemeral) {
        processed.record(envelope.getServerGuid(), clock.millis());
      }
      return new Result(200, List.of());
    }
    return new Result(200, effects);
  }

  private static boolean isLocalFailure(Throwable cause) {
    return cause instanceof java.sql.SQLException || cause instanceof java.io.IOException
        || cause instanceof NetworkException;
  }

  private void apply(Envelope envelope, Content content, List<Effect> effects) throws ForgedSenderException {
    String source = envelope.getSourceAccount();
    if (!source.equals(ownAccount)) {
      checkSender(envelope, content.getSenderNumber());
    }
    switch (content.getBodyCase()) {
      case DATA -> received(envelope, content.getData(), effects);
      case RECEIPT -> receipt(source, content.getReceipt(), effects);
      case TYPING -> effects.add(new Effect.Typing(source, content.getTyping().getStarted(),
          content.getTyping().getTimestamp()));
      case CALL -> effects.add(new Effect.Call(source, envelope.getSourceDevice(), envelope.getSourceNumber(),
          envelope.getEphemeral(), envelope.getServerTimestamp(), content.getCall()));
      case SYNC -> {
        if (source.equals(ownAccount)) {
          sync(envelope, content.getSync(), effects);
        } else {
          log.warn("ignoring a sync message from another account {}", source);
        }
      }
      default -> log.debug("ignoring empty content from {}", source);
    }
  }

  /**
   * The server vouches for the sender's account and, in {@code source_number}, for that account's number; the
   * number inside the encrypted content is only the sender's claim. A message is accepted when the two agree, and
   * the contact's number follows the server's word (a number that moved to another account moves with it).
   */
  private void checkSender(Envelope envelope, String claimed) throws ForgedSenderException {
    String source = envelope.getSourceAccount();
    String vouched = envelope.getSourceNumber();
    if (vouched.isEmpty()) {
      throw new ForgedSenderException("the envelope from account " + source + " carries no source number");
    }
    if (!vouched.equals(claimed)) {
      throw new ForgedSenderException("account " + source + " claims the number '" + claimed
          + "', but the server says its number is " + vouched);
    }
    boolean known = contacts.byAccount(source).map(c -> c.number().equals(vouched)).orElse(false);
    if (!known) {
      contacts.put(source, vouched, clock.millis());
    }
  }

  private void received(Envelope envelope, DataMessage data, List<Effect> effects) {
    String source = envelope.getSourceAccount();
    long now = clock.millis();
    long conversation = conversations.touch(source, data.getTimestamp());
    Optional<Long> id = messages.insertIncoming(conversation, source, envelope.getSourceDevice(), data.getText(),
        data.getTimestamp(), envelope.getServerGuid(), now);
    id.ifPresent(messageId -> effects.add(new Effect.Received(messageId)));
    // A duplicate is acknowledged again: the sender may have resent because our first receipt was lost.
    receipts.queue(source, ReceiptMessage.Type.DELIVERY, List.of(data.getTimestamp()));
    effects.add(new Effect.OutboxChanged());
  }

  private void receipt(String source, ReceiptMessage receipt, List<Effect> effects) {
    MessageStatus status = receipt.getType() == ReceiptMessage.Type.READ ? MessageStatus.READ
        : MessageStatus.DELIVERED;
    Optional<ConversationTable.Row> conversation = conversations.byContact(source);
    if (conversation.isEmpty()) {
      return;
    }
    for (long timestamp : receipt.getTimestampsList()) {
      messages.outgoing(conversation.get().id(), ownAccount, timestamp).ifPresent(message -> {
        if (messages.advance(message.id(), status, clock.millis())) {
          effects.add(new Effect.StatusChanged(message.id()));
        }
      });
    }
  }

  private void sync(Envelope envelope, SyncMessage sync, List<Effect> effects) {
    if (sync.hasSent()) {
      SyncMessage.Sent sent = sync.getSent();
      contacts.put(sent.getDestinationAccount(), sent.getDestinationNumber(), clock.millis());
      long conversation = conversations.touch(sent.getDestinationAccount(), sent.getMessage().getTimestamp());
      if (messages.outgoing(conversation, ownAccount, sent.getMessage().getTimestamp()).isEmpty()) {
        long id = messages.insertOutgoing(conversation, ownAccount, envelope.getSourceDevice(),
            sent.getMessage().getText(), sent.getMessage().getTimestamp(), MessageStatus.SENT);
        effects.add(new Effect.StatusChanged(id));
      }
    }
    for (SyncMessage.Read read : sync.getReadList()) {
      // One lookup on the (sender, timestamp) key per entry: a read-sync carries up to 500 of them.
      messages.bySender(read.getSenderAccount(), read.getTimestamp())
          .filter(row -> row.direction() == org.parley.client.api.Message.Direction.INCOMING)
          .ifPresent(row -> {
            if (messages.advance(row.id(), MessageStatus.READ, clock.millis())) {
              effects.add(new Effect.StatusChanged(row.id()));
            }
          });
    }
  }
}
