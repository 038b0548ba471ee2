package org.parley.client.api.groups;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.parley.client.api.attachments.Attachment;

/**
 * A group as this device knows it.
 *
 * @param id the group's id
 * @param name its name (1 to 100 characters)
 * @param members the members, admins first, then by number; includes us while we are a member
 * @param revision the state's version: every change made by a member increments it; concurrent changes with the same
 *     revision are ordered by a deterministic tie-break, so every device ends on the same state
 * @param membersMayEdit whether every member (not only admins) may add members and rename the group
 * @param selfIsMember false once we left or were removed (the conversation stays, read-only)
 * @param unread incoming messages not yet marked read
 * @param lastActivity the newest message's or change's time (ms)
 * @param lastMessage the newest message, for a chat list's preview
 * @param picture the group's picture (carried in its state); download it like any attachment ({@code
 *     ParleyClient.awaitDownload}): this device starts that by itself when the state arrives
 */
public record GroupInfo(GroupId id, String name, List<GroupMember> members, long revision, boolean membersMayEdit,
    boolean selfIsMember, int unread, long lastActivity, Optional<GroupMessage> lastMessage,
    Optional<Attachment> picture) {

  /** At most this many members (accounts; each may have several devices). */
  public static final int MAX_MEMBERS = 1024;

  /** At most this many characters in a group's name. */
  public static final int MAX_NAME_LENGTH = 100;

  public GroupInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    members = List.copyOf(members);
    Objects.requireNonNull(lastMessage, "lastMessage");
    Objects.requireNonNull(picture, "picture");
  }

  /** The admins' numbers. */
  public List<String> admins() {
    return members.stream().filter(GroupMember::isAdmin).map(GroupMember::number).toList();
  }

  /** Every member's number. */
  public List<String> memberNumbers() {
    return members.stream().map(GroupMember::number).toList();
  }

  public Optional<GroupMember> member(String number) {
    return members.stream().filter(m -> m.number().equals(number)).findFirst();
  }

  public boolean isMember(String number) {
    return member(number).isPresent();
  }

  public boolean isAdmin(String number) {
    return member(number).map(GroupMember::isAdmin).orElse(false);
  }

  /** Whether {@code number} may add members, rename the group or change its picture. */
  public boolean mayEdit(String number) {
    return isAdmin(number) || (membersMayEdit && isMember(number));
  }
}
