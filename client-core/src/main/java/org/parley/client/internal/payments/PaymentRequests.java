package org.parley.client.internal.payments;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyException;
import org.parley.client.api.payments.InrAmount;
import org.parley.client.api.payments.PaymentRequest;
import org.parley.client.api.payments.PaymentRequestEntry;
import org.parley.client.api.payments.PaymentRequestId;
import org.parley.client.api.payments.PaymentRole;
import org.parley.client.api.payments.PaymentStatus;
import org.parley.client.api.payments.Vpa;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.events.Events;
import org.parley.client.internal.linking.OwnDevices;
import org.parley.client.internal.messaging.AfterCommit;
import org.parley.client.internal.messaging.ContactDirectory;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.messaging.Conversations;
import org.parley.client.internal.messaging.MessageExtras;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.PaymentStatusMessage;
import org.parley.client.internal.proto.SyncMessage;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.OutboxTable;
import org.parley.client.internal.store.PaymentRequestTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UPI payment requests in conversations (docs/decisions/0130): asking to be paid, moving a request on by the rules
 * of {@link PaymentLifecycle}, and applying the status updates that the other party and our other devices send.
 * A status update is not a message of its own: it changes the request's row, and listeners hear
 * {@code paymentChanged}.
 */
public final class PaymentRequests {

  private static final Logger log = LoggerFactory.getLogger(PaymentRequests.class);

  /** What {@link #update} decided inside its transaction: refused (with the reason), or whether it changed. */
  private record Outcome(InvalidInputException refused, boolean changed) {}

  private final AccountService accounts;
  private final ContactDirectory directory;
  private final Conversations conversations;
  private final OwnDevices ownDevices;
  private final Database db;
  private final OutboxTable outboxTable;
  private final OutboxWorker outbox;
  private final PaymentRequestTable requests;
  private final Events events;
  private final Clock clock;

  public PaymentRequests(AccountService accounts, ContactDirectory directory, Conversations conversations,
      OwnDevices ownDevices, Database db, OutboxTable outboxTable, OutboxWorker outbox, PaymentRequestTable requests,
      Events events, Clock clock) {
    this.accounts = accounts;
    this.directory = directory;
    this.conversations = conversations;
    this.ownDevices = ownDevices;
    this.db = db;
    this.outboxTable = outboxTable;
    this.outbox = outbox;
    this.requests = requests;
    this.events = events;
    this.clock = clock;
  }

  /** Sends {@code number} a new request to pay us; the message carries it with a fresh request id. */
  public Message request(String number, InrAmount amount, Vpa payee, String payeeName, Optional<String> note)
      throws ParleyException {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(payee, "payee");
    PaymentRequest request = PaymentRequest.of(PaymentRequestId.random(), payee,
        Objects.requireNonNullElse(payeeName, ""), amount, Objects.requireNonNull(note, "note"));
    AccountTable.Row own = accounts.registered();
    String to = directory.recipientOf(own, number);
    long id = conversations.queue(own, number, to, PaymentMessages.describe(request),
        DataMessage.newBuilder().setPaymentRequest(PaymentMessages.toProto(request)), ownDevices.syncTargets(),
        messageId -> requests.insert(messageId, request, PaymentRole.REQUESTER, to, clock.millis()));
    outbox.wake(false);
    return conversations.message(id).orElseThrow();
  }

  public PaymentRequestEntry entry(PaymentRequestId id) throws ParleyException {
    accounts.registered();
    return entry(row(id));
  }

  /**
   * Sets our side's status on a request, stores it, and queues it for the other party and our other devices. The
   * same status again changes and sends nothing.
   */
  public PaymentRequestEntry update(PaymentRequestId id, PaymentStatus status) throws ParleyException {
    Objects.requireNonNull(status, "status");
    AccountTable.Row own = accounts.registered();
    String number = directory.numberOf(row(id).contactAccount()).orElseThrow(() ->
        new NotFoundException("No contact for the payment request " + id));
    // Read, decide and write in one transaction: a status arriving from the other side meanwhile (the inbox's
    // transaction) is either seen here or comes after ours, never overwritten by a decision made without it.
    Outcome outcome = db.inTransaction(c -> {
      PaymentRequestTable.Row row = row(id);
      PaymentStatus after;
      try {
        after = PaymentLifecycle.apply(row.status(), status, lifecycleRole(row.ourRole()));
      } catch (InvalidInputException e) {
        return new Outcome(e, false);
      }
      boolean changed = !after.equals(row.status());
      if (changed) {
        queueChange(own, number, row, after);
      }
      return new Outcome(null, changed);
    });
    if (outcome.refused() != null) {
      throw outcome.refused();
    }
    PaymentRequestEntry entry = entry(row(id));
    if (outcome.changed()) {
      outbox.wake(false);
      events.fire(l -> l.paymentChanged(entry));
    }
    return entry;
  }

  /** Stores our new status and queues it for the other party and our other devices (inside the caller's transaction). */
  private void queueChange(AccountTable.Row own, String number, PaymentRequestTable.Row row, PaymentStatus after) {
    long now = clock.millis();
    PaymentRequestId id = row.request().id();
    requests.setStatus(id, after, now);
    DataMessage data = DataMessage.newBuilder().setTimestamp(now)
        .setPaymentStatus(PaymentMessages.toProto(id, after)).build();
    outboxTable.add(row.contactAccount(), Contents.encode(Content.newBuilder().setSenderNumber(own.number())
        .setData(data).build()), now, null, now);
    if (!ownDevices.syncTargets().isEmpty()) {
      outboxTable.add(own.accountId(), Contents.encode(Content.newBuilder().setSenderNumber(own.number())
          .setSync(SyncMessage.newBuilder().setSent(SyncMessage.Sent.newBuilder().setDestinationNumber(number)
              .setDestinationAccount(row.contactAccount()).setMessage(data))).build()), now, null, now);
    }
  }

  /**
   * Stores a request that arrived in message {@code messageId} (from the other party, or from another device of
   * ours that sent it); false when its id is taken (then the request is not stored).
   */
  public boolean store(long messageId, PaymentRequest request, PaymentRole ourRole, String contactAccount) {
    return requests.insert(messageId, request, ourRole, contactAccount, clock.millis());
  }

  /** Whether a request with this id is stored already. */
  public boolean known(PaymentRequestId id) {
    return requests.byId(id).isPresent();
  }

  /**
   * Applies a status update about a request with {@code contactAccount}: from them, or ({@code fromOwnDevice}) from
   * another device of ours that set it. Updates that break the rules, name a request we do not have or one with
   * someone else are logged and dropped.
   */
  public void received(PaymentStatusMessage message, String contactAccount, boolean fromOwnDevice,
      AfterCommit afterCommit) {
    PaymentMessages.StatusUpdate update;
    try {
      update = PaymentMessages.fromProto(message);
    } catch (InvalidInputException e) {
      log.warn("dropping an unreadable payment status from {}: {}", contactAccount, e.getMessage());
      return;
    }
    Optional<PaymentRequestTable.Row> row = requests.byId(update.requestId());
    if (row.isEmpty() || !row.get().contactAccount().equals(contactAccount)) {
      log.warn("dropping a payment status for request {}, which this device has {}", update.requestId(),
          row.isEmpty() ? "not got" : "with someone else");
      return;
    }
    PaymentRole sender = fromOwnDevice ? row.get().ourRole() : other(row.get().ourRole());
    PaymentStatus after;
    try {
      after = PaymentLifecycle.apply(row.get().status(), update.status(), lifecycleRole(sender));
    } catch (InvalidInputException e) {
      log.warn("dropping payment status {} for request {} from the {}: {}", update.status(), update.requestId(),
          sender, e.getMessage());
      return;
    }
    if (after.equals(row.get().status())) {
      return;
    }
    requests.setStatus(update.requestId(), after, clock.millis());
    afterCommit.then(() -> requests.byId(update.requestId()).flatMap(this::entryIfKnown)
        .ifPresent(entry -> events.fire(l -> l.paymentChanged(entry))));
  }

  private PaymentRequestTable.Row row(PaymentRequestId id) throws NotFoundException {
    Objects.requireNonNull(id, "id");
    return requests.byId(id).orElseThrow(() -> new NotFoundException("No payment request " + id
        + " on this device"));
  }

  private PaymentRequestEntry entry(PaymentRequestTable.Row row) throws NotFoundException {
    return entryIfKnown(row).orElseThrow(() -> new NotFoundException("No contact for the payment request "
        + row.request().id()));
  }

  private Optional<PaymentRequestEntry> entryIfKnown(PaymentRequestTable.Row row) {
    return directory.numberOf(row.contactAccount()).map(number -> MessageExtras.entry(row, number));
  }

  private static PaymentRole other(PaymentRole role) {
    return role == PaymentRole.REQUESTER ? PaymentRole.PAYER : PaymentRole.REQUESTER;
  }

  private static PaymentLifecycle.Role lifecycleRole(PaymentRole role) {
    return role == PaymentRole.REQUESTER ? PaymentLifecycle.Role.REQUESTER : PaymentLifecycle.Role.PAYER;
  }
}
