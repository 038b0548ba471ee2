package org.parley.client.api.groups;

/**
 * Something from a group that this device refused, with why: a message for a group it does not know or from someone
 * who is not a member, a membership change its author was not allowed to make (a forged change). Nothing refused
 * is applied; this event is how it is not silent.
 *
 * @param groupId the group the content named
 * @param senderNumber who sent it (as the server vouches)
 * @param reason for people, e.g. "+15550001111 is not a member of the group"
 */
public record GroupProblem(GroupId groupId, String senderNumber, String reason) {}
