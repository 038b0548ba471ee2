package org.parley.client.api.groups;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A change to a group, kept in its conversation as a system line ("Alice added Bob").
 *
 * @param id local id
 * @param groupId the group
 * @param kind what changed
 * @param actorNumber who made the change
 * @param targetNumbers whom it concerns (added, removed or promoted members); empty for renames
 * @param newName the new name, for CREATED and RENAMED
 * @param revision the group's revision after the change
 * @param timestamp when the author made it (their clock, ms)
 */
public record GroupEvent(long id, GroupId groupId, Kind kind, String actorNumber, List<String> targetNumbers,
    Optional<String> newName, long revision, long timestamp) implements GroupHistoryEntry {

  public GroupEvent {
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(actorNumber, "actorNumber");
    targetNumbers = List.copyOf(targetNumbers);
    Objects.requireNonNull(newName, "newName");
  }

  /** What changed. */
  public enum Kind {
    /** The group was created (with its first members, in {@code targetNumbers}). */
    CREATED,
    ADDED,
    REMOVED,
    /** The actor left. */
    LEFT,
    PROMOTED,
    RENAMED,
    /** Whether every member may edit changed. */
    POLICY_CHANGED,
    /**
     * Not a change: this device, linked after the group was made, got the group's state from another of our devices
     * (the actor, ourselves). Messages from before the link stay on the other devices.
     */
    SYNCED,
    /** The actor set or changed the group's picture. */
    PICTURE_CHANGED,
    /** The actor removed the group's picture. */
    PICTURE_REMOVED
  }

  /**
   * The system line in English, naming people through {@code nameOf} (a number to a display name; pass
   * {@code n -> n} for numbers), e.g. "Alice added Bob and Carol", "Bob left", "Alice renamed the group to Trip".
   */
  public String describe(Function<String, String> nameOf) {
    String actor = nameOf.apply(actorNumber);
    String targets = joinNames(targetNumbers.stream().map(nameOf).toList());
    return switch (kind) {
      case CREATED -> actor + " created the group" + newName.map(n -> " \"" + n + "\"").orElse("");
      case ADDED -> actor + " added " + targets;
      case REMOVED -> actor + " removed " + targets;
      case LEFT -> actor + " left";
      case PROMOTED -> actor + " made " + targets + " admin";
      case RENAMED -> actor + " renamed the group to \"" + newName.orElse("") + "\"";
      case POLICY_CHANGED -> actor + " changed who may edit the group";
      case PICTURE_CHANGED -> actor + " changed the group's picture";
      case PICTURE_REMOVED -> actor + " removed the group's picture";
      case SYNCED -> "The group" + newName.map(n -> " \"" + n + "\"").orElse("") + " was synced to this device";
    };
  }

  private static String joinNames(List<String> names) {
    if (names.size() <= 1) {
      return names.isEmpty() ? "" : names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
  }
}
