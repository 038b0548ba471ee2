package org.parley.client.internal.messaging;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;
import org.parley.client.api.Contact;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.OutgoingText;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.calls.CallDirection;
import org.parley.client.api.calls.CallEntry;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.ReceiptMessage;
import org.parley.client.internal.proto.SyncMessage;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.AttachmentTable;
import org.parley.client.internal.store.CallEntryTable;
import org.parley.client.internal.store.ContactTable;
import org.parley.client.internal.store.ConversationTable;
import org.parley.client.internal.store.IdentityTable;
import org.parley.client.internal.store.MessageTable;
import org.parley.client.internal.store.OutboxTable;

/** The local side of conversations: writing outgoing messages with their outbox rows, reading history, marking read. */
public final class Conversations {

  private final Database db;
  private final ContactTable contacts;
  private final ConversationTable conversations;
  private final MessageTable messages;
  private final OutboxTable outbox;
  private final IdentityTable identities;
  private final Receipts receipts;
  private final Clock clock;
  /** The newest timestamp of our own messages, for {@link #uniqueTimestamp}; guarded by itself. */
  private final long[] lastOwnTimestamp = new long[1];
  private String lastOwnAccount;
  private final CallEntryTable callEntries;
  private final AttachmentTable attachments;
  private final MessageExtras extras;

  public Conversations(Database db, ContactTable contacts, ConversationTable conversations, MessageTable messages,
      OutboxTable outbox, IdentityTable identities, Receipts receipts, Clock clock, CallEntryTable callEntries,
      AttachmentTable attachments, MessageExtras extras) {
    this.attachments = attachments;
    this.extras = extras;
    this.callEntries = callEntries;
    this.db = db;
    this.contacts = contacts;
    this.conversations = conversations;
    this.messages = messages;
    this.outbox = outbox;
    this.identities = identities;
    this.receipts = receipts;
    this.clock = clock;
  }

  /**
   * Stores an outgoing message (pending) and its outbox row — plus a sync copy for our other devices, if any — in
   * one transaction; returns the message id.
   */
  public long queue(AccountTable.Row own, String number, String accountId, String text, Set<Integer> ownDevices) {
    return queue(own, number, accountId, text, DataMessage.newBuilder().setText(text), ownDevices, messageId -> {});
  }

  /** Queues {@code texts} (to {@code accountIds}, one each) in one transaction; returns the new messages' ids. */
  public List<Long> queueTexts(AccountTable.Row own, List<OutgoingText> texts, List<String> accountIds,
      Set<Integer> ownDevices) {
    return db.inTransaction(c -> {
      List<Long> ids = new ArrayList<>(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        ids.add(queue(own, texts.get(i).number(), accountIds.get(i), texts.get(i).text(), ownDevices));
      }
      return ids;
    });
  }

  /**
   * As {@link #queue(AccountTable.Row, String, String, String, Set)} for content other than text: {@code data}
   * (its timestamp is set here) goes out, {@code body} is the message's stored text, and {@code alsoStore} runs with
   * the new message's id in the same transaction.
   */
  public long queue(AccountTable.Row own, String number, String accountId, String body, DataMessage.Builder data,
      Set<Integer> ownDevices, LongConsumer alsoStore) {
    return db.inTransaction(c -> {
      long now = uniqueTimestamp(own.accountId());
      long conversation = conversations.touch(accountId, now);
      long messageId = messages.insertOutgoing(conversation, own.accountId(), own.deviceId(), body, now,
          MessageStatus.PENDING);
      alsoStore.accept(messageId);
      DataMessage message = data.setTimestamp(now).build();
      outbox.add(accountId, Contents.encode(Content.newBuilder().setSenderNumber(own.number()).setData(message)
          .build()), now, messageId, now);
      if (!ownDevices.isEmpty()) {
        outbox.add(own.accountId(), Contents.encode(Content.newBuilder().setSenderNumber(own.number())
            .setSync(SyncMessage.newBuilder().setSent(SyncMessage.Sent.newBuilder().setDestinationNumber(number)
                .setDestinationAccount(accountId).setMessage(message))).build()), now, null, now);
      }
      return messageId;
    });
  }

  /**
   * Stores an outgoing message with attachments (pending), their rows and the outbox row in one transaction;
   * returns the message id. The outbox uploads the attachments before it sends the message, with their pointers,
   * and queues the sync copy for our other devices once it is sent (the pointers exist only then).
   */
  public long queueWithAttachments(AccountTable.Row own, String accountId, String text,
      List<AttachmentTable.New> files) {
    return db.inTransaction(c -> {
      long now = uniqueTimestamp(own.accountId());
      long conversation = conversations.touch(accountId, now);
      long messageId = messages.insertOutgoing(conversation, own.accountId(), own.deviceId(), text, now,
          MessageStatus.PENDING);
      attachments.insert(messageId, true, files, now);
      outbox.add(accountId, outgoingContent(own.number(), text, now), now, messageId, now);
      return messageId;
    });
  }

  /** The content an outgoing message with attachments is queued with; the outbox adds the pointers. */
  public static byte[] outgoingContent(String ownNumber, String text, long sentAt) {
    return Contents.encode(Content.newBuilder().setSenderNumber(ownNumber)
        .setData(DataMessage.newBuilder().setText(text).setTimestamp(sentAt)).build());
  }

  /**
   * Deletes messages with their call entries, attachment rows and outbox rows in one transaction; returns the
   * attachment rows, whose files the caller deletes.
   */
  public List<AttachmentTable.Row> delete(List<Long> messageIds) {
    return db.inTransaction(c -> {
      outbox.deleteForMessages(messageIds);
      callEntries.deleteForMessages(messageIds);
      List<AttachmentTable.Row> rows = attachments.deleteByMessages(messageIds);
      messages.delete(messageIds);
      return rows;
    });
  }

  /** The ids of every message with {@code number}, and the conversation (empty when there is none). */
  public Optional<Map.Entry<Long, List<Long>>> conversationMessages(String number) throws NotFoundException {
    ContactTable.Row contact = contact(number);
    return conversations.byContact(contact.accountId())
        .map(conv -> Map.entry(conv.id(), messages.idsInConversation(conv.id())));
  }

  /** Deletes a conversation row whose messages are gone. */
  public void deleteConversation(long conversationId) {
    conversations.delete(conversationId);
  }

  /** The number of the contact of message {@code messageId}'s conversation. */
  public Optional<String> numberOf(long messageId) {
    return messages.byId(messageId).flatMap(row -> conversations.byId(row.conversationId()))
        .flatMap(conv -> contacts.byAccount(conv.contactAccountId())).map(ContactTable.Row::number);
  }

  /**
   * Sender timestamps identify messages, so two sent within the same millisecond get different ones: each is later
   * than every message of ours stored when this client started (one query, then remembered: asking for the maximum
   * at every send scanned all our messages, quadratic for a bot) and than every one it queued since. Called inside
   * the queueing transaction; a rollback only leaves a gap.
   */
  private long uniqueTimestamp(String ownAccount) {
    long now = clock.millis();
    synchronized (lastOwnTimestamp) {
      if (!ownAccount.equals(lastOwnAccount)) {
        lastOwnTimestamp[0] = db.inTransaction(c -> {
          try (var s = c.prepareStatement("SELECT MAX(sent_at) FROM message WHERE sender_account = ?")) {
            s.setString(1, ownAccount);
            try (var r = s.executeQuery()) {
              return r.next() ? r.getLong(1) : 0L;
            }
          }
        });
        lastOwnAccount = ownAccount;
      }
      lastOwnTimestamp[0] = Math.max(now, lastOwnTimestamp[0] + 1);
      return lastOwnTimestamp[0];
    }
  }

  public List<Message> history(String number, int limit) throws NotFoundException {
    ContactTable.Row contact = contact(number);
    Optional<ConversationTable.Row> conversation = conversations.byContact(contact.accountId());
    if (conversation.isEmpty()) {
      return List.of();
    }
    return toMessages(messages.history(conversation.get().id(), limit), number);
  }

  /** The newest {@code limit} messages with {@code number} older than message {@code beforeId}, oldest first. */
  public List<Message> historyBefore(String number, long beforeId, int limit) throws NotFoundException {
    ContactTable.Row contact = contact(number);
    Optional<ConversationTable.Row> conversation = conversations.byContact(contact.accountId());
    Optional<MessageTable.Row> before = messages.byId(beforeId);
    if (conversation.isEmpty() || before.isEmpty() || before.get().conversationId() != conversation.get().id()) {
      throw new NotFoundException("No message " + beforeId + " in the conversation with " + number);
    }
    return toMessages(messages.historyBefore(conversation.get().id(), before.get().sentAt(), beforeId, limit),
        number);
  }

  /** Messages of every conversation containing {@code query} (ignoring case), newest first. */
  public List<Message> search(String query, int limit) {
    Map<Long, Optional<String>> numbers = new HashMap<>();
    List<MessageTable.Row> found = new ArrayList<>();
    List<String> foundNumbers = new ArrayList<>();
    for (MessageTable.Row row : messages.search(query, limit)) {
      Optional<String> number = numbers.computeIfAbsent(row.conversationId(), id -> conversations.byId(id)
          .flatMap(conv -> contacts.byAccount(conv.contactAccountId())).map(ContactTable.Row::number));
      number.ifPresent(n -> {
        found.add(row);
        foundNumbers.add(n);
      });
    }
    return toMessages(found, foundNumbers::get);
  }

  private List<Message> toMessages(List<MessageTable.Row> rows, String number) {
    return toMessages(rows, i -> number);
  }

  /** Rows as messages, with the call entries among them looked up in one query; {@code numbers} by row index. */
  private List<Message> toMessages(List<MessageTable.Row> rows, IntFunction<String> numbers) {
    List<Long> ids = new ArrayList<>(rows.size());
    Map<Long, CallDirection> directions = new HashMap<>();
    for (MessageTable.Row row : rows) {
      ids.add(row.id());
      directions.put(row.id(), row.direction() == Message.Direction.INCOMING
          ? CallDirection.INCOMING : CallDirection.OUTGOING);
    }
    Map<Long, CallEntry> calls = callEntries.byMessages(ids, directions);
    Map<Long, List<AttachmentTable.Row>> files = attachments.byMessages(ids);
    List<Message> result = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      MessageTable.Row row = rows.get(i);
      Message m = plain(row, numbers.apply(i));
      CallEntry call = calls.get(row.id());
      List<Attachment> attached = files.getOrDefault(row.id(), List.of()).stream().map(AttachmentViews::of).toList();
      result.add(call == null && attached.isEmpty() ? m : new Message(m.id(), m.contactNumber(), m.direction(),
          m.text(), m.timestamp(), m.receivedAt(), m.status(), m.statusAt(), Optional.ofNullable(call), attached));
    }
    return extras.decorate(result);
  }

  public List<Contact> contacts() {
    List<Contact> result = new ArrayList<>();
    for (ConversationTable.Row conversation : conversations.all()) {
      Optional<ContactTable.Row> contact = contacts.byAccount(conversation.contactAccountId());
      if (contact.isEmpty()) {
        continue;
      }
      Optional<Long> changed = identities.find(contact.get().accountId())
          .flatMap(e -> Optional.ofNullable(e.changedAt()));
      Optional<Message> last = messages.newest(conversation.id()).map(row -> toMessage(row, contact.get().number()));
      result.add(new Contact(contact.get().number(), contact.get().accountId(), changed,
          messages.unreadCount(conversation.id()), conversation.lastActivity(), last));
    }
    return result;
  }

  /**
   * Marks the incoming messages from {@code number} read and queues read receipts (when {@code sendReceipts}) and
   * read-syncs for our other devices, each in chunks of at most {@link Receipts#MAX_TIMESTAMPS} timestamps; returns
   * how many messages changed.
   */
  public int markRead(AccountTable.Row own, String number, boolean sendReceipts, Set<Integer> ownDevices)
      throws NotFoundException {
    ContactTable.Row contact = contact(number);
    Optional<ConversationTable.Row> conversation = conversations.byContact(contact.accountId());
    if (conversation.isEmpty()) {
      return 0;
    }
    return db.inTransaction(c -> {
      long id = conversation.get().id();
      List<Long> timestamps = messages.unreadTimestamps(id);
      if (timestamps.isEmpty()) {
        return 0;
      }
      long now = clock.millis();
      int changed = messages.markAllRead(id, now);
      if (sendReceipts) {
        receipts.queue(contact.accountId(), ReceiptMessage.Type.READ, timestamps);
      }
      if (!ownDevices.isEmpty()) {
        for (List<Long> chunk : Receipts.chunks(timestamps, Receipts.MAX_TIMESTAMPS)) {
          SyncMessage.Builder sync = SyncMessage.newBuilder();
          for (long timestamp : chunk) {
            sync.addRead(SyncMessage.Read.newBuilder().setSenderAccount(contact.accountId()).setTimestamp(timestamp));
          }
          outbox.add(own.accountId(), Contents.encode(Content.newBuilder().setSenderNumber(own.number())
              .setSync(sync).build()), now, null, now);
        }
      }
      return changed;
    });
  }

  private ContactTable.Row contact(String number) throws NotFoundException {
    return contacts.byNumber(number).orElseThrow(() -> new NotFoundException("No conversation with " + number));
  }

  public Optional<Message> message(long id) {
    return messages.byId(id).flatMap(row -> conversations.byId(row.conversationId())
        .flatMap(conv -> contacts.byAccount(conv.contactAccountId()))
        .map(contact -> toMessage(row, contact.number())));
  }

  private Message toMessage(MessageTable.Row row, String number) {
    return toMessages(List.of(row), number).get(0);
  }

  private static Message plain(MessageTable.Row row, String number) {
    return new Message(row.id(), number, row.direction(), row.body(), row.sentAt(),
        Optional.ofNullable(row.receivedAt()), row.status(), row.statusAt());
  }
}
