package org.parley.client.api.groups;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.parley.client.api.Message.Direction;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.attachments.Attachment;

/**
 * One message of a group conversation.
 *
 * @param id local id
 * @param groupId the group
 * @param senderNumber who sent it (our own number for outgoing messages, also those sent from our other devices)
 * @param direction incoming or outgoing
 * @param text the text (a caption, possibly empty, when the message carries attachments)
 * @param timestamp the sender's timestamp (ms); with the sender it identifies the message across devices
 * @param receivedAt when we stored an incoming message (ms)
 * @param status outgoing: PENDING, SENT (the server has it for every member), DELIVERED (every member has it), READ
 *     (every member read it) or FAILED; incoming: DELIVERED, then READ. Per member: {@link GroupMessageInfo}
 * @param statusAt when the status last changed (ms)
 * @param attachments pictures and files, in the sender's order: uploaded once, the pointer inside the sender-key
 *     message (the same {@code ParleyClient} calls download, open and save them as for 1:1)
 */
public record GroupMessage(long id, GroupId groupId, String senderNumber, Direction direction, String text,
    long timestamp, Optional<Long> receivedAt, MessageStatus status, long statusAt, List<Attachment> attachments)
    implements GroupHistoryEntry {

  public GroupMessage {
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(senderNumber, "senderNumber");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(status, "status");
    attachments = List.copyOf(attachments);
  }

  public boolean isOutgoing() {
    return direction == Direction.OUTGOING;
  }
}
