package org.parley.client.internal.location;

import java.util.Objects;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyException;
import org.parley.client.api.location.Location;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.linking.OwnDevices;
import org.parley.client.internal.messaging.ContactDirectory;
import org.parley.client.internal.messaging.Conversations;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.MessageLocationTable;

/** Sending a place: a message like a text (stored, queued, synced to our other devices) that carries a location. */
public final class LocationSharing {

  private final AccountService accounts;
  private final ContactDirectory directory;
  private final Conversations conversations;
  private final OwnDevices ownDevices;
  private final OutboxWorker outbox;
  private final MessageLocationTable locations;

  public LocationSharing(AccountService accounts, ContactDirectory directory, Conversations conversations,
      OwnDevices ownDevices, OutboxWorker outbox, MessageLocationTable locations) {
    this.accounts = accounts;
    this.directory = directory;
    this.conversations = conversations;
    this.ownDevices = ownDevices;
    this.outbox = outbox;
    this.locations = locations;
  }

  /** Stores the message with its place and its outbox rows; the outbox worker sends it when connected. */
  public Message send(String number, Location location) throws ParleyException {
    Objects.requireNonNull(location, "location");
    AccountTable.Row own = accounts.registered();
    String to = directory.recipientOf(own, number);
    long id = conversations.queue(own, number, to, LocationMessages.describe(location),
        DataMessage.newBuilder().setLocation(LocationMessages.toProto(location)), ownDevices.syncTargets(),
        messageId -> locations.put(messageId, location));
    outbox.wake(false);
    return conversations.message(id).orElseThrow();
  }
}
