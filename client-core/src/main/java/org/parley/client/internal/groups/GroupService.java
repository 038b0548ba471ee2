package org.parley.client.internal.groups;

import java.util.List;
import org.parley.client.api.ParleyException;
import org.parley.client.api.groups.GroupHistoryEntry;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupMessageInfo;

/** The group methods of {@code ParleyClient}: state changes, sending, history (docs/decisions/0140-groups.md). */
public class GroupService {

  private static ParleyException notYet() {
    return new ParleyException("groups are not implemented yet");
  }

  public GroupInfo create(String name, List<String> memberNumbers) throws ParleyException {
    throw notYet();
  }

  public GroupInfo addMembers(GroupId groupId, List<String> numbers) throws ParleyException {
    throw notYet();
  }

  public GroupInfo removeMember(GroupId groupId, String number) throws ParleyException {
    throw notYet();
  }

  public GroupInfo promote(GroupId groupId, String number) throws ParleyException {
    throw notYet();
  }

  public GroupInfo leave(GroupId groupId) throws ParleyException {
    throw notYet();
  }

  public GroupInfo rename(GroupId groupId, String name) throws ParleyException {
    throw notYet();
  }

  public GroupInfo setMembersMayEdit(GroupId groupId, boolean membersMayEdit) throws ParleyException {
    throw notYet();
  }

  public List<GroupInfo> groups() throws ParleyException {
    throw notYet();
  }

  public GroupInfo group(GroupId groupId) throws ParleyException {
    throw notYet();
  }

  public GroupMessage send(GroupId groupId, String text) throws ParleyException {
    throw notYet();
  }

  public List<GroupHistoryEntry> history(GroupId groupId, int limit) throws ParleyException {
    throw notYet();
  }

  public GroupMessageInfo messageInfo(long groupMessageId) throws ParleyException {
    throw notYet();
  }

  public int markRead(GroupId groupId) throws ParleyException {
    throw notYet();
  }

  public void sendTyping(GroupId groupId, boolean started) throws ParleyException {
    throw notYet();
  }
}
