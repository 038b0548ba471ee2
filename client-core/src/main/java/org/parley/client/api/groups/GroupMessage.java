package org.parley.client.api.groups;

import java.util.Objects;
import java.util.Optional;
import org.parley.client.api.Message.Direction;
import org.parley.client.api.MessageStatus;

/**
 * One message of a group conversation.
 *
 * @param id local id
 * @param groupId the group
 * @param senderNumber who sent it (our own number for outgoing messages, also those sent from our other devices)
 * @param direction incoming or outgoing
 * @param text the text
 * @param timestamp the sender's timestamp (ms); with the sender it identifies the message across devices
 * @param receivedAt when we stored an incoming message (ms)
 * @param status outgoing: PENDING, SENT (the server has it for every member), DELIVERED (every member has it), READ
 *     (every member read it) or FAILED; incoming: DELIVERED, then READ. Per member: {@link GroupMessageInfo}
 * @param statusAt when the status last changed (ms)
 */
public record GroupMessage(long id, GroupId groupId, String senderNumber, Direction direction, String text,
    long timestamp, Optional<Long> receivedAt, MessageStatus status, long statusAt) implements GroupHistoryEntry {

  public GroupMessage {
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(senderNumber, "senderNumber");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(status, "status");
  }

  public boolean isOutgoing() {
    return direction == Direction.OUTGOING;
  }
}
