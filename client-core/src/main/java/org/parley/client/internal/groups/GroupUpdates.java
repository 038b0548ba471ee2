package org.parley.client.internal.groups;

import java.util.List;
import java.util.Optional;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupId;
import org.parley.client.internal.proto.GroupChange;
import org.parley.client.internal.proto.GroupState;
import org.parley.client.internal.store.GroupTable;

/** Stores a group state that won (ours or a member's) with its system line; rotates our key after a removal. */
final class GroupUpdates {

  private GroupUpdates() {}

  static GroupEvent apply(GroupTable groups, GroupId id, GroupState next, GroupChange change, String author,
      String selfNumber, long now) {
    Optional<GroupTable.Row> before = groups.byId(id.value());
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
        ? Optional.of(canonical.getName()) : Optional.empty();
    List<String> targets = kind == GroupEvent.Kind.LEFT || kind == GroupEvent.Kind.RENAMED
        || kind == GroupEvent.Kind.POLICY_CHANGED ? List.of() : change.getTargetsList();
    long at = change.getTimestamp() > 0 ? change.getTimestamp() : now;
    long eventId = groups.addEvent(id.value(), kind.name(), author, targets, newName, canonical.getRevision(), at);
    return new GroupEvent(eventId, id, kind, author, targets, newName, canonical.getRevision(), at);
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
      case KIND_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException("a group change needs a kind");
    };
  }
}
