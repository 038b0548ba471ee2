package org.parley.client.api;

import java.util.Optional;

/**
 * Someone we have a conversation with.
 *
 * @param identityChangedAt when their identity key last changed (ms), if it ever did
 * @param unread incoming messages not yet marked read
 * @param lastActivity the newest message's time (ms)
 * @param lastMessage the conversation's newest message (text, time, direction, status), for a chat list's preview;
 *     empty when there is none
 */
public record Contact(String number, String accountId, Optional<Long> identityChangedAt, int unread,
    long lastActivity, Optional<Message> lastMessage) {

  /** A contact without its last message (the record's shape before {@code lastMessage} was added). */
  public Contact(String number, String accountId, Optional<Long> identityChangedAt, int unread, long lastActivity) {
    this(number, accountId, identityChangedAt, unread, lastActivity, Optional.empty());
  }
}
