package org.parley.client.api;

/** Whether a contact is online; {@code lastSeen} in ms, 0 if unknown. */
public record Presence(String number, boolean online, long lastSeen) {}
