package org.parley.client.api.groups;

/** A member started or stopped typing in a group. */
public record GroupTyping(GroupId groupId, String number, boolean started, long timestamp) {}
