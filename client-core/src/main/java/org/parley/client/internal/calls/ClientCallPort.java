package org.parley.client.internal.calls;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyException;
import org.parley.client.api.calls.CallDirection;
import org.parley.client.api.calls.CallEntry;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.events.IdentityChanges;
import org.parley.client.internal.messaging.ContactDirectory;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.messaging.MessageEvents;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.messaging.Sender;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.net.WebSocketTransport;
import org.parley.client.internal.proto.CallMessage;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.CallEntryTable;
import org.parley.client.internal.store.MessageTable;
import org.parley.client.internal.store.OutboxTable;
import org.parley.protocol.IceServers;
import org.parley.protocol.Route;
import org.parley.protocol.SendMessageResponse;

/**
 * The {@link CallPort} over the rest of the client: who we are, sending signaling as E2E-encrypted content (now
 * through the {@link Sender}, or later through the outbox), the server's ICE servers, and call entries in the
 * conversation with the listeners told.
 */
public final class ClientCallPort implements CallPort {

  private final AccountService accounts;
  private final ContactDirectory directory;
  private final WebSocketTransport transport;
  private final Sender sender;
  private final OutboxTable outboxTable;
  private final OutboxWorker outbox;
  private final RestClient rest;
  private final CallEntryTable callEntries;
  private final MessageTable messages;
  private final MessageEvents messageEvents;
  private final IdentityChanges identityChanges;
  private final Clock clock;

  public ClientCallPort(AccountService accounts, ContactDirectory directory, WebSocketTransport transport,
      Sender sender, OutboxTable outboxTable, OutboxWorker outbox, RestClient rest, CallEntryTable callEntries,
      MessageTable messages, MessageEvents messageEvents, IdentityChanges identityChanges, Clock clock) {
    this.accounts = accounts;
    this.directory = directory;
    this.transport = transport;
    this.sender = sender;
    this.outboxTable = outboxTable;
    this.outbox = outbox;
    this.rest = rest;
    this.callEntries = callEntries;
    this.messages = messages;
    this.messageEvents = messageEvents;
    this.identityChanges = identityChanges;
    this.clock = clock;
  }

  @Override
  public Self self() throws ParleyException {
    AccountTable.Row row = accounts.registered();
    return new Self(row.number(), row.accountId(), row.deviceId());
  }

  @Override
  public boolean connected() {
    return transport.isConnected();
  }

  @Override
  public String accountOf(String number) throws ParleyException {
    return directory.accountOf(number);
  }

  @Override
  public Optional<String> numberOf(String accountId) {
    return directory.numberOf(accountId);
  }

  @Override
  public List<Integer> sendNow(String accountId, CallMessage message) throws ParleyException {
    AccountTable.Row row = accounts.registered();
    Content content = Content.newBuilder().setSenderNumber(row.number()).setCall(message).build();
    try {
      SendMessageResponse response = sender.send(accountId, Contents.encode(content), clock.millis(), true, true,
          Set::of);
      return response == null ? List.of() : response.getDeliveredDevicesList();
    } catch (ApiFailure failure) {
      throw failure.toParley("Sending call signaling");
    } finally {
      identityChanges.report();
    }
  }

  @Override
  public void sendLater(String accountId, CallMessage message) {
    AccountTable.Row row = accounts.current().orElseThrow();
    long now = clock.millis();
    outboxTable.add(accountId, Contents.encode(Content.newBuilder().setSenderNumber(row.number()).setCall(message)
        .build()), now, null, now);
    outbox.wake(false);
  }

  @Override
  public IceServers iceServers() throws ParleyException {
    try {
      return rest.call(Route.ICE_SERVERS, null, IceServers.getDefaultInstance(), true);
    } catch (ApiFailure failure) {
      if (failure.status() == 503) {
        return IceServers.getDefaultInstance();
      }
      throw failure.toParley("Fetching ICE servers");
    }
  }

  @Override
  public void record(String contactAccount, String callerAccount, int callerDevice, CallEntry entry, long startedAt,
      String text) {
    Optional<Long> id = callEntries.record(contactAccount, callerAccount, callerDevice, entry, startedAt, text,
        clock.millis());
    if (id.isEmpty()) {
      return;
    }
    if (entry.direction() == CallDirection.INCOMING) {
      if (!entry.missed()) {
        messages.advance(id.get(), MessageStatus.READ, clock.millis());
      }
      messageEvents.received(id.get());
    } else {
      messageEvents.statusChanged(id.get());
    }
  }
}
