package org.parley.client.internal.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyException;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.account.PhoneNumbers;
import org.parley.client.internal.events.Events;
import org.parley.client.internal.events.IdentityChanges;
import org.parley.client.internal.linking.OwnDevices;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.TypingMessage;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.OutboxTable;

/**
 * What the user writes: messages (to the outbox, sent by {@link OutboxWorker}), typing indicators (sent at once,
 * never stored) and "I read this conversation" (read receipts and read-syncs, through the outbox).
 */
public final class MessagingService {

  /** Characters; with UTF-8 and the PQXDH header the ciphertext stays well under the server's 64 KiB limit. */
  private static final int MAX_TEXT = 8_000;

  private final AccountService accounts;
  private final ContactDirectory directory;
  private final Conversations conversations;
  private final OwnDevices ownDevices;
  private final OutboxTable outboxTable;
  private final OutboxWorker outbox;
  private final Sender sender;
  private final IdentityChanges identityChanges;
  private final Events events;
  private final Clock clock;

  public MessagingService(AccountService accounts, ContactDirectory directory, Conversations conversations,
      OwnDevices ownDevices, OutboxTable outboxTable, OutboxWorker outbox, Sender sender,
      IdentityChanges identityChanges, Events events, Clock clock) {
    this.accounts = accounts;
    this.directory = directory;
    this.conversations = conversations;
    this.ownDevices = ownDevices;
    this.outboxTable = outboxTable;
    this.outbox = outbox;
    this.sender = sender;
    this.identityChanges = identityChanges;
    this.events = events;
    this.clock = clock;
  }

  /** Writes the message and its outbox row (PENDING) and returns it; the outbox worker sends it when connected. */
  public Message send(String number, String text) throws ParleyException {
    AccountTable.Row row = accounts.registered();
    if (text == null || text.isBlank()) {
      throw new InvalidInputException("A message needs some text");
    }
    if (text.length() > MAX_TEXT) {
      throw new InvalidInputException("A message is at most " + MAX_TEXT + " characters; this one has "
          + text.length());
    }
    if (number.equals(row.number())) {
      throw new InvalidInputException("Sending to your own number is not supported");
    }
    String to = directory.accountOf(number);
    long id = conversations.queue(row, number, to, text, ownDevices.syncTargets());
    outbox.wake(false);
    return conversations.message(id).orElseThrow();
  }

  /** Sends a typing indicator now, only to the devices online now (ephemeral: the server stores nothing). */
  public void sendTyping(String number, boolean started) throws ParleyException {
    AccountTable.Row row = accounts.registered();
    String to = directory.accountOf(number);
    long now = clock.millis();
    Content content = Content.newBuilder().setSenderNumber(row.number())
        .setTyping(TypingMessage.newBuilder().setStarted(started).setTimestamp(now)).build();
    try {
      sender.send(to, Contents.encode(content), now, true, Set::of);
    } catch (ApiFailure failure) {
      throw failure.toParley("Sending a typing indicator to " + number);
    } finally {
      identityChanges.report();
    }
  }

  /** Marks the conversation read, queues receipts and read-syncs, and fires one {@code conversationRead}. */
  public int markRead(String number) throws ParleyException {
    AccountTable.Row row = accounts.registered();
    PhoneNumbers.check(number);
    int changed = conversations.markRead(row, number, row.readReceipts(), ownDevices.syncTargets());
    if (changed > 0) {
      events.fire(l -> l.conversationRead(number, changed));
    }
    outbox.wake(false);
    return changed;
  }

  /** Waits until the outbox is empty (everything sent or failed) or {@code timeout}; returns whether it is. */
  public boolean awaitOutboxEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outboxTable.size() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
