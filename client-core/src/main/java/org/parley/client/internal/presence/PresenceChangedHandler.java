package org.parley.client.internal.presence;

import com.google.protobuf.InvalidProtocolBufferException;
import org.parley.client.api.Presence;
import org.parley.client.internal.connection.PushHandler;
import org.parley.client.internal.events.Events;
import org.parley.client.internal.store.ContactTable;
import org.parley.protocol.PresenceEvent;
import org.parley.protocol.Route;
import org.parley.protocol.WebSocketRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Route#PRESENCE_CHANGED}: a contact we subscribed to came online or went away. Always answered 200. */
public final class PresenceChangedHandler implements PushHandler {

  private static final Logger log = LoggerFactory.getLogger(PresenceChangedHandler.class);

  private final ContactTable contacts;
  private final Events events;

  public PresenceChangedHandler(ContactTable contacts, Events events) {
    this.contacts = contacts;
    this.events = events;
  }

  @Override
  public int handle(WebSocketRequest request) {
    try {
      PresenceEvent event = PresenceEvent.parseFrom(request.getBody());
      contacts.byAccount(event.getAccountId()).ifPresent(contact -> {
        Presence presence = new Presence(contact.number(), event.getOnline(), event.getLastSeen());
        events.fire(l -> l.presence(presence));
      });
    } catch (InvalidProtocolBufferException e) {
      log.warn("ignoring a presence event that does not parse");
    }
    return 200;
  }
}
