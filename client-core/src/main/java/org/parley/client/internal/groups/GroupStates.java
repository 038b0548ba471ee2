package org.parley.client.internal.groups;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.parley.client.internal.proto.GroupMemberState;
import org.parley.client.internal.proto.GroupState;

/**
 * The rules of group state (ADR 0140), without I/O: which of two states wins, what changed between two states, and
 * whether the member who sent a change was allowed to make it.
 */
public final class GroupStates {

  private GroupStates() {}

  /** What a change did. */
  public record Diff(List<String> added, List<String> removed, List<String> promoted, boolean renamed,
      boolean policyChanged, boolean pictureChanged) {

    public boolean isEmpty() {
      return added.isEmpty() && removed.isEmpty() && promoted.isEmpty() && !renamed && !policyChanged
          && !pictureChanged;
    }
  }

  /** A group picture's pointer says at most this many bytes (a member's device downloads it without asking). */
  public static final long MAX_PICTURE_BYTES = 5L << 20;

  /** The state with its members in number order, so equal states serialize (and hash) equally everywhere. */
  public static GroupState canonical(GroupState state) {
    List<GroupMemberState> members = new ArrayList<>(state.getMembersList());
    members.sort(Comparator.comparing(GroupMemberState::getNumber));
    return state.toBuilder().clearMembers().addAllMembers(members).build();
  }

  /**
   * Whether {@code incoming} replaces {@code current}: a higher revision wins; of two different states with the same
   * revision (concurrent changes), the one whose SHA-256 is greater, so every device picks the same.
   */
  public static boolean supersedes(GroupState incoming, GroupState current) {
    if (incoming.getRevision() != current.getRevision()) {
      return incoming.getRevision() > current.getRevision();
    }
    return Arrays.compareUnsigned(hash(canonical(incoming)), hash(canonical(current))) > 0;
  }

  static byte[] hash(GroupState state) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(state.toByteArray());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Map<String, GroupMemberState> byNumber(GroupState state) {
    return state.getMembersList().stream()
        .collect(Collectors.toMap(GroupMemberState::getNumber, Function.identity(), (a, b) -> a));
  }

  public static Optional<GroupMemberState> member(GroupState state, String number) {
    return state.getMembersList().stream().filter(m -> m.getNumber().equals(number)).findFirst();
  }

  public static Diff diff(GroupState before, GroupState after) {
    Map<String, GroupMemberState> old = byNumber(before);
    Map<String, GroupMemberState> now = byNumber(after);
    List<String> added = now.keySet().stream().filter(n -> !old.containsKey(n)).sorted().toList();
    List<String> removed = old.keySet().stream().filter(n -> !now.containsKey(n)).sorted().toList();
    List<String> promoted = now.values().stream()
        .filter(m -> m.getAdmin() && old.containsKey(m.getNumber()) && !old.get(m.getNumber()).getAdmin())
        .map(GroupMemberState::getNumber).sorted().toList();
    return new Diff(added, removed, promoted, !before.getName().equals(after.getName()),
        before.getMembersMayEdit() != after.getMembersMayEdit(),
        !before.getPicture().equals(after.getPicture()));
  }

  /**
   * Why {@code author} may not turn {@code current} into {@code next}, or empty when they may: admins may change
   * anything; any member may leave (naming a new admin when they were the last); when the group lets every member
   * edit, members may add members (as members) and rename it. Nobody may demote an admin, and the state must keep
   * an admin while it has members.
   */
  public static Optional<String> refusal(GroupState current, GroupState next, String author) {
    if (!Arrays.equals(current.getGroupId().toByteArray(), next.getGroupId().toByteArray())) {
      return Optional.of("the change is for another group");
    }
    if (next.hasPicture() && (next.getPicture().getSize() > MAX_PICTURE_BYTES
        || !next.getPicture().getContentType().startsWith("image/"))) {
      return Optional.of("a group picture is an image of at most " + MAX_PICTURE_BYTES / (1 << 20) + " MiB");
    }
    Optional<GroupMemberState> who = member(current, author);
    if (who.isEmpty()) {
      return Optional.of(author + " is not a member of the group");
    }
    Diff diff = diff(current, next);
    Map<String, GroupMemberState> now = byNumber(next);
    for (GroupMemberState before : current.getMembersList()) {
      GroupMemberState after = now.get(before.getNumber());
      if (after != null && before.getAdmin() && !after.getAdmin()) {
        return Optional.of("admins cannot be demoted");
      }
    }
    if (!next.getMembersList().isEmpty() && next.getMembersList().stream().noneMatch(GroupMemberState::getAdmin)) {
      return Optional.of("a group with members needs an admin");
    }
    if (who.get().getAdmin()) {
      return Optional.empty();
    }
    boolean leaving = diff.removed().equals(List.of(author));
    if (leaving && diff.added().isEmpty() && !diff.renamed() && !diff.policyChanged() && !diff.pictureChanged()
        && (diff.promoted().isEmpty() || (diff.promoted().size() == 1 && noAdminLeft(current, author)))) {
      return Optional.empty();
    }
    if (current.getMembersMayEdit() && diff.removed().isEmpty() && diff.promoted().isEmpty()
        && !diff.policyChanged() && diff.added().stream().noneMatch(n -> now.get(n).getAdmin())) {
      return Optional.empty();
    }
    return Optional.of("only admins may " + describe(diff));
  }

  private static boolean noAdminLeft(GroupState state, String leaving) {
    return state.getMembersList().stream().noneMatch(m -> m.getAdmin() && !m.getNumber().equals(leaving));
  }

  private static String describe(Diff diff) {
    Set<String> what = new LinkedHashSet<>();
    if (!diff.removed().isEmpty()) {
      what.add("remove members");
    }
    if (!diff.added().isEmpty()) {
      what.add("add members");
    }
    if (!diff.promoted().isEmpty()) {
      what.add("make admins");
    }
    if (diff.renamed()) {
      what.add("rename the group");
    }
    if (diff.policyChanged()) {
      what.add("change who may edit");
    }
    if (diff.pictureChanged()) {
      what.add("change the group's picture");
    }
    return what.isEmpty() ? "change the group" : String.join(" and ", what);
  }
}
