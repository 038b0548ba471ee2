package org.parley.client.api.groups;

/** What a member may do: admins change membership and the name (members too when the group allows everyone). */
public enum GroupRole {
  MEMBER, ADMIN
}
