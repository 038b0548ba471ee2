package org.parley.client.api.groups;

import java.util.List;
import java.util.Objects;

/**
 * "Message info" for an outgoing group message: each recipient (the members when it was sent, ourselves excluded)
 * with their receipts, in number order.
 */
public record GroupMessageInfo(GroupMessage message, List<MemberReceipt> members) {

  public GroupMessageInfo {
    Objects.requireNonNull(message, "message");
    members = List.copyOf(members);
  }

  public List<MemberReceipt> delivered() {
    return members.stream().filter(MemberReceipt::delivered).toList();
  }

  public List<MemberReceipt> read() {
    return members.stream().filter(MemberReceipt::read).toList();
  }
}
