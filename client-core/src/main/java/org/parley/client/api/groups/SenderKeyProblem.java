package org.parley.client.api.groups;

import java.util.Optional;

/**
 * A group message from {@code senderNumber}'s device could not be decrypted (no or an outdated sender key from that
 * device, or a damaged message). The client has asked that device to send its sender key again and to resend;
 * nothing is dropped silently.
 *
 * @param groupId the group, when known (a message whose key we lack does not name its group readably)
 * @param senderNumber the sender
 * @param senderDevice the sender's device
 * @param timestamp the message's sender timestamp (ms)
 * @param reason for people, e.g. "no sender key from this device"
 */
public record SenderKeyProblem(Optional<GroupId> groupId, String senderNumber, int senderDevice, long timestamp,
    String reason) {}
