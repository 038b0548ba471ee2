package org.parley.client.api.groups;

import org.parley.client.api.ParleyException;

/** The change needs a right we lack (only admins may edit the group; a removed member may not send). */
public class GroupPermissionException extends ParleyException {
  private static final long serialVersionUID = 1L;

  public GroupPermissionException(String message) {
    super(message);
  }
}
