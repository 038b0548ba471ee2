package org.parley.desktop.vm;

import java.util.Objects;
import java.util.Optional;
import org.parley.client.api.groups.GroupId;

/**
 * One chat in the chat list: a contact or a group.
 *
 * @param number the chat's key: the contact's number, or a group's id (32 hex digits; never starts with +)
 * @param identityChanged the contact's safety number changed since we last looked
 * @param group for a group chat, its id
 * @param picture the group's picture (its attachment id) when it is on this device: the avatar shows it
 */
public record ChatSummary(String number, String name, String initials, String preview, long lastActivity,
    String time, int unread, boolean identityChanged, Optional<GroupId> group, Optional<Long> picture) {

  public ChatSummary {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(picture, "picture");
  }

  /** A chat with a contact. */
  public ChatSummary(String number, String name, String initials, String preview, long lastActivity, String time,
      int unread, boolean identityChanged) {
    this(number, name, initials, preview, lastActivity, time, unread, identityChanged, Optional.empty(),
        Optional.empty());
  }

  public boolean isGroup() {
    return group.isPresent();
  }
}
