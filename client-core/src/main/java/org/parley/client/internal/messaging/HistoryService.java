package org.parley.client.internal.messaging;

import java.util.List;
import org.parley.client.api.Contact;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyException;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.account.PhoneNumbers;

/** What the user reads: pages of a conversation's history, search across conversations, the contact list. */
public final class HistoryService {

  private static final int MAX_SEARCH_RESULTS = 1_000;

  private final AccountService accounts;
  private final Conversations conversations;

  public HistoryService(AccountService accounts, Conversations conversations) {
    this.accounts = accounts;
    this.conversations = conversations;
  }

  public List<Message> history(String number, int limit) throws ParleyException {
    checkPage(number, limit);
    return conversations.history(number, limit);
  }

  public List<Message> history(String number, long beforeMessageId, int limit) throws ParleyException {
    checkPage(number, limit);
    return conversations.historyBefore(number, beforeMessageId, limit);
  }

  private void checkPage(String number, int limit) throws ParleyException {
    accounts.registered();
    PhoneNumbers.check(number);
    if (limit <= 0) {
      throw new InvalidInputException("The history limit must be positive");
    }
  }

  public List<Message> search(String query, int limit) throws ParleyException {
    accounts.registered();
    if (query == null || query.isBlank()) {
      throw new InvalidInputException("A search needs some text");
    }
    if (limit <= 0 || limit > MAX_SEARCH_RESULTS) {
      throw new InvalidInputException("The search limit must be between 1 and " + MAX_SEARCH_RESULTS);
    }
    return conversations.search(query, limit);
  }

  public List<Contact> contacts() throws ParleyException {
    accounts.registered();
    return conversations.contacts();
  }
}
