package org.parley.client.internal.groups;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupId;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.GroupChange;
import org.parley.client.internal.proto.GroupMemberState;
import org.parley.client.internal.proto.GroupState;
import org.parley.client.internal.proto.GroupUpdate;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.ChatGroupTable;

/** Stores a group state that won (ours or a member's) with its system line; rotates our key after a removal. */
final class GroupUpdates {

  private GroupUpdates() {}

  static GroupEvent apply(ChatGroupTable groups, GroupId id, GroupState next, GroupChange change, String author,
      String selfNumber, long now) {
    Optional<ChatGroupTable.Row> before = groups.byId(id.value());
    boolean selfMember = GroupStates.member(next, selfNumber).isPresent();
    GroupState canonical = GroupStates.canonical(next);
    groups.put(id.value(), canonical.getName(), canonical.getRevision(), canonical.toByteArray(), selfMember, now);
    if (before.isPresent()) {
      GroupStates.Diff diff = GroupStates.diff(GroupOutbox.parse(before.get().state()), canonical);
      if (!diff.removed().isEmpty()) {
        // Whoever left or was removed holds our current sender key: the next message goes with a new one.
        groups.rotateKey(id.value());
      }
    }
    GroupEvent.Kind kind = kindOf(change.getKind());
    Optional<String> newName = kind == GroupEvent.Kind.CREATED || kind == GroupEvent.Kind.RENAMED
        || kind == GroupEvent.Kind.SYNCED ? Optional.of(canonical.getName()) : Optional.empty();
    List<String> targets = kind == GroupEvent.Kind.LEFT || kind == GroupEvent.Kind.RENAMED
        || kind == GroupEvent.Kind.POLICY_CHANGED || kind == GroupEvent.Kind.SYNCED
        || kind == GroupEvent.Kind.PICTURE_CHANGED || kind == GroupEvent.Kind.PICTURE_REMOVED ? List.of()
        : change.getTargetsList();
    long at = change.getTimestamp() > 0 ? change.getTimestamp() : now;
    long eventId = groups.addEvent(id.value(), kind.name(), author, targets, newName, canonical.getRevision(), at);
    return new GroupEvent(eventId, id, kind, author, targets, newName, canonical.getRevision(), at);
  }

  /**
   * Our change: applies it here and queues the whole new state, pairwise and in order, for every member before and
   * after it and (when we have any) our other devices. Inside the caller's transaction.
   */
  static GroupEvent publish(ChatGroupTable groups, AccountTable.Row self, Optional<GroupState> before, GroupState next,
      GroupChange change, boolean toOwnDevices, long now) {
    GroupId id = GroupId.fromBytes(next.getGroupId().toByteArray());
    byte[] content = Contents.encode(Content.newBuilder().setSenderNumber(self.number())
        .setGroupUpdate(GroupUpdate.newBuilder().setState(next).setChange(change).setAuthorNumber(self.number()))
        .build());
    // New members first: the others may answer the change at once with a message and their sender key, which a
    // new member can use only once it knows the group.
    Set<String> recipients = new LinkedHashSet<>();
    Set<String> earlier = new LinkedHashSet<>();
    before.ifPresent(s -> s.getMembersList().forEach(m -> earlier.add(m.getAccountId())));
    next.getMembersList().stream().map(GroupMemberState::getAccountId).filter(a -> !earlier.contains(a))
        .forEach(recipients::add);
    recipients.addAll(earlier);
    next.getMembersList().forEach(m -> recipients.add(m.getAccountId()));
    recipients.remove(self.accountId());
    if (toOwnDevices) {
      recipients.add(self.accountId());
    }
    GroupEvent event = apply(groups, id, next, change, self.number(), self.number(), now);
    groups.enqueue(GroupOutbox.PAIRWISE, id.value(), null, List.copyOf(recipients), content, now, false, now);
    return event;
  }

  /**
   * Our change lost a tie to {@code winner} (same revision, ADR 0140): the same change made again on top of it, or
   * empty when the winner already has its effect (or it no longer applies).
   */
  static Optional<GroupState> redo(ChatGroupTable.EventRow ours, GroupState oursState, GroupState winner) {
    GroupState.Builder next = winner.toBuilder();
    Map<String, GroupMemberState> present = GroupStates.byNumber(winner);
    switch (GroupEvent.Kind.valueOf(ours.kind())) {
      case RENAMED -> ours.newName().ifPresent(next::setName);
      case POLICY_CHANGED -> next.setMembersMayEdit(oursState.getMembersMayEdit());
      case PICTURE_CHANGED, PICTURE_REMOVED -> {
        if (oursState.hasPicture()) {
          next.setPicture(oursState.getPicture());
        } else {
          next.clearPicture();
        }
      }
      case ADDED -> ours.targets().stream().filter(n -> !present.containsKey(n))
          .forEach(n -> GroupStates.member(oursState, n).ifPresent(next::addMembers));
      case REMOVED, LEFT -> {
        List<String> gone = ours.kind().equals("LEFT") ? List.of(ours.actor()) : ours.targets();
        next.clearMembers();
        winner.getMembersList().stream().filter(m -> !gone.contains(m.getNumber())).forEach(next::addMembers);
      }
      case PROMOTED -> {
        next.clearMembers();
        winner.getMembersList().forEach(m -> next.addMembers(ours.targets().contains(m.getNumber())
            ? m.toBuilder().setAdmin(true).build() : m));
      }
      case CREATED, SYNCED -> {
        return Optional.empty();
      }
    }
    GroupState redone = GroupStates.canonical(next.setRevision(winner.getRevision() + 1).build());
    return GroupStates.diff(winner, redone).isEmpty() ? Optional.empty() : Optional.of(redone);
  }

  static GroupEvent.Kind kindOf(GroupChange.Kind kind) {
    return switch (kind) {
      case CREATED -> GroupEvent.Kind.CREATED;
      case ADDED -> GroupEvent.Kind.ADDED;
      case REMOVED -> GroupEvent.Kind.REMOVED;
      case LEFT -> GroupEvent.Kind.LEFT;
      case PROMOTED -> GroupEvent.Kind.PROMOTED;
      case RENAMED -> GroupEvent.Kind.RENAMED;
      case POLICY_CHANGED -> GroupEvent.Kind.POLICY_CHANGED;
      case SYNCED -> GroupEvent.Kind.SYNCED;
      case PICTURE_CHANGED -> GroupEvent.Kind.PICTURE_CHANGED;
      case PICTURE_REMOVED -> GroupEvent.Kind.PICTURE_REMOVED;
      case KIND_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException("a group change needs a kind");
    };
  }
}
