package org.parley.client.internal.events;

import java.time.Clock;
import org.parley.client.api.IdentityChange;
import org.parley.client.internal.store.ContactTable;
import org.parley.client.internal.store.IdentityTable;

/**
 * Reports the identity keys that changed since the last report. libsignal's store calls record a change wherever
 * it happens (receiving, sending, fetching keys), so every path that may have touched a session calls
 * {@link #report} when it is done.
 */
public final class IdentityChanges {

  private final IdentityTable identities;
  private final ContactTable contacts;
  private final Events events;
  private final Clock clock;

  public IdentityChanges(IdentityTable identities, ContactTable contacts, Events events, Clock clock) {
    this.identities = identities;
    this.contacts = contacts;
    this.events = events;
    this.clock = clock;
  }

  public void report() {
    for (String accountId : identities.drainChanges()) {
      String number = contacts.byAccount(accountId).map(ContactTable.Row::number).orElse("");
      long at = identities.find(accountId).map(IdentityTable.Entry::changedAt).orElse(clock.millis());
      events.fire(l -> l.identityChanged(new IdentityChange(number, accountId, at)));
    }
  }
}
