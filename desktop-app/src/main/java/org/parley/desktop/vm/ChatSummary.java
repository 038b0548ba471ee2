package org.parley.desktop.vm;

/**
 * One chat in the chat list.
 *
 * @param identityChanged the contact's safety number changed since we last looked
 */
public record ChatSummary(String number, String name, String initials, String preview, long lastActivity,
    String time, int unread, boolean identityChanged) {}
