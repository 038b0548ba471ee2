package org.parley.client.api.groups;

import java.util.Objects;

/**
 * One member of a group.
 *
 * @param number the member's phone number (E.164)
 * @param role member or admin
 * @param addedBy who added them (the creator for the first members; themselves for the creator)
 * @param addedAtRevision the group's revision in which they joined: they can read only what was sent after it
 */
public record GroupMember(String number, GroupRole role, String addedBy, long addedAtRevision) {

  public GroupMember {
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(addedBy, "addedBy");
  }

  public boolean isAdmin() {
    return role == GroupRole.ADMIN;
  }
}
