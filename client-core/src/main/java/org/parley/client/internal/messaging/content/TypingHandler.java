package org.parley.client.internal.messaging.content;

import org.parley.client.api.Typing;
import org.parley.client.internal.events.Events;
import org.parley.client.internal.messaging.AfterCommit;
import org.parley.client.internal.messaging.ContentHandler;
import org.parley.client.internal.messaging.IncomingContent;
import org.parley.client.internal.proto.TypingMessage;
import org.parley.client.internal.store.ContactTable;

/** {@code Content.typing}: a contact started or stopped typing; nothing is stored. */
public final class TypingHandler implements ContentHandler {

  private final ContactTable contacts;
  private final Events events;

  public TypingHandler(ContactTable contacts, Events events) {
    this.contacts = contacts;
    this.events = events;
  }

  @Override
  public void handle(IncomingContent content, AfterCommit afterCommit) {
    TypingMessage typing = content.content().getTyping();
    String source = content.sourceAccount();
    afterCommit.then(() -> contacts.byAccount(source).ifPresent(contact -> events.fire(l -> l.typing(
        new Typing(contact.number(), typing.getStarted(), typing.getTimestamp())))));
  }
}
