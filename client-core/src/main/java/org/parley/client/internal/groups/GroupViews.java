package org.parley.client.internal.groups;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.client.api.Message.Direction;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMember;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupMessageInfo;
import org.parley.client.api.groups.GroupRole;
import org.parley.client.api.groups.MemberReceipt;
import org.parley.client.internal.media.GroupMedia;
import org.parley.client.internal.messaging.AttachmentViews;
import org.parley.client.internal.proto.GroupState;
import org.parley.client.internal.store.AttachmentTable;
import org.parley.client.internal.store.ChatGroupTable;
import org.parley.client.internal.store.GroupMessageTable;

/** Stored rows as the API's records. */
final class GroupViews {

  private final ChatGroupTable groups;
  private final GroupMessageTable messages;
  private final GroupMedia media;

  GroupViews(ChatGroupTable groups, GroupMessageTable messages, GroupMedia media) {
    this.groups = groups;
    this.messages = messages;
    this.media = media;
  }

  GroupInfo info(ChatGroupTable.Row row) {
    GroupState state = GroupOutbox.parse(row.state());
    List<GroupMember> members = state.getMembersList().stream()
        .map(m -> new GroupMember(m.getNumber(), m.getAdmin() ? GroupRole.ADMIN : GroupRole.MEMBER, m.getAddedBy(),
            m.getAddedAtRevision()))
        .sorted(Comparator.comparing((GroupMember m) -> !m.isAdmin()).thenComparing(GroupMember::number))
        .toList();
    List<GroupMessageTable.Row> newest = messages.history(row.id(), 1);
    Optional<GroupMessage> last = newest.isEmpty() ? Optional.empty() : Optional.of(message(newest.get(0)));
    Optional<Attachment> picture = state.hasPicture() ? media.picture(row.id(), state.getPicture())
        : Optional.empty();
    return new GroupInfo(new GroupId(row.id()), row.name(), members, row.revision(), state.getMembersMayEdit(),
        row.selfMember(), messages.unread(row.id()), row.lastActivity(), last, picture);
  }

  Optional<GroupInfo> info(String groupId) {
    return groups.byId(groupId).map(this::info);
  }

  GroupMessage message(GroupMessageTable.Row row) {
    return message(row, media.ofMessage(row.id()));
  }

  /** Many messages with their attachments read in one query. */
  List<GroupMessage> messages(List<GroupMessageTable.Row> rows) {
    Map<Long, List<AttachmentTable.Row>> files =
        media.ofMessages(rows.stream().map(GroupMessageTable.Row::id).toList());
    return rows.stream().map(row -> message(row, files.getOrDefault(row.id(), List.of()).stream()
        .map(AttachmentViews::of).toList())).toList();
  }

  private static GroupMessage message(GroupMessageTable.Row row, List<Attachment> attachments) {
    return new GroupMessage(row.id(), new GroupId(row.groupId()), row.senderNumber(),
        row.outgoing() ? Direction.OUTGOING : Direction.INCOMING, row.body(), row.sentAt(),
        Optional.ofNullable(row.receivedAt()), row.status(), row.statusAt(), attachments);
  }

  GroupMessageInfo messageInfo(GroupMessageTable.Row row, List<GroupMessageTable.ReceiptRow> receipts) {
    return new GroupMessageInfo(message(row), receipts.stream().map(r -> new MemberReceipt(r.number(),
        Optional.ofNullable(r.deliveredAt()), Optional.ofNullable(r.readAt()))).toList());
  }

  static GroupEvent event(ChatGroupTable.EventRow row) {
    return new GroupEvent(row.id(), new GroupId(row.groupId()), GroupEvent.Kind.valueOf(row.kind()), row.actor(),
        row.targets(), row.newName(), row.revision(), row.happenedAt());
  }
}
