package org.parley.desktop.vm;

/**
 * A message that matches the search box, to open its conversation at that message: {@code number} is the chat's key
 * (a contact's number, or a group's id with the group's name as {@code name}).
 */
public record SearchHit(String number, String name, long messageId, String text, String time) {}
