package org.parley.client.internal.messaging;

import java.time.Clock;
import java.util.Optional;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyException;
import org.parley.client.internal.account.PhoneNumbers;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.ContactTable;
import org.parley.protocol.AccountLookupResponse;
import org.parley.protocol.Route;

/**
 * Phone numbers ⇄ accounts. A number we write to first is looked up on the server once and remembered; receiving
 * never looks anything up (the envelope names the sender's account and number).
 */
public final class ContactDirectory {

  private final ContactTable contacts;
  private final RestClient rest;
  private final Clock clock;

  public ContactDirectory(ContactTable contacts, RestClient rest, Clock clock) {
    this.contacts = contacts;
    this.rest = rest;
    this.clock = clock;
  }

  /** The account of {@code number}: from our contacts, else asked of the server (and remembered). */
  public String accountOf(String number) throws ParleyException {
    PhoneNumbers.check(number);
    Optional<ContactTable.Row> known = contacts.byNumber(number);
    if (known.isPresent()) {
      return known.get().accountId();
    }
    try {
      AccountLookupResponse found = rest.call(Route.LOOK_UP_NUMBER, null, AccountLookupResponse.getDefaultInstance(),
          true, number);
      contacts.put(found.getAccountId(), number, clock.millis());
      return found.getAccountId();
    } catch (ApiFailure failure) {
      if (failure.status() == 404) {
        throw new NotFoundException("No Parley account has the number " + number, failure);
      }
      throw failure.toParley("Looking up " + number);
    }
  }

  /** The account to send {@code number} a message from us ({@code own}): anyone's but our own. */
  public String recipientOf(AccountTable.Row own, String number) throws ParleyException {
    if (number.equals(own.number())) {
      throw new InvalidInputException("Sending to your own number is not supported");
    }
    return accountOf(number);
  }

  /** The number of a known contact's account. */
  public Optional<String> numberOf(String accountId) {
    return contacts.byAccount(accountId).map(ContactTable.Row::number);
  }
}
