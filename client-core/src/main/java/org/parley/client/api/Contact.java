package org.parley.client.api;

import java.util.Optional;

/**
 * Someone we have a conversation with.
 *
 * @param identityChangedAt when their identity key last changed (ms), if it ever did
 * @param unread incoming messages not yet marked read
 * @param lastActivity the newest message's time (ms)
 */
public record Contact(String number, String accountId, Optional<Long> identityChangedAt, int unread,
    long lastActivity) {}
