package org.parley.desktop.vm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMember;

/**
 * The group info panel: name (renamed by those who may edit), members with admin badges, add members from one's
 * chats, remove and make admin (admins), who may edit (admins), leave. What a person may do follows the group's
 * state as client-core has it; client-core checks again and its refusal is shown.
 */
public final class GroupInfoViewModel {

  /**
   * One member as the panel lists them.
   *
   * @param avatarKey what the avatar's colour comes from: the number, or for us our profile name (as in the
   *     sidebar's header)
   * @param canRemove we are an admin and this is someone else
   * @param canPromote we are an admin and they are not one yet
   */
  public record MemberRow(String number, String name, String initials, String avatarKey, boolean admin, boolean me,
      boolean canRemove, boolean canPromote) {}

  public final Value<String> name = new Value<>("");
  /** "4 members", "4 members · only admins edit" … */
  public final Value<String> summary = new Value<>("");
  public final Value<List<MemberRow>> members = new Value<>(List.of());
  /** We may rename the group and add members (admins, or everyone when the group allows it). */
  public final Value<Boolean> canEdit = new Value<>(false);
  public final Value<Boolean> admin = new Value<>(false);
  public final Value<Boolean> member = new Value<>(false);
  public final Value<Boolean> membersMayEdit = new Value<>(false);
  public final Value<String> error = new Value<>("");
  public final Value<Boolean> busy = new Value<>(false);
  /** Whether the group has a picture (for "Remove picture"). */
  public final Value<Boolean> hasPicture = new Value<>(false);
  /** Adding members: the picker of one's chats not in the group yet. */
  public final ContactPicker adding = new ContactPicker();
  public final Value<Boolean> addingOpen = new Value<>(false);
  /** "Leave group?" asked and not answered yet. */
  public final Value<Boolean> confirmLeave = new Value<>(false);

  private final GroupId groupId;
  private final ParleyClient client;
  private final Tasks tasks;
  private final FileServices files;
  private final Function<String, String> nameOf;
  private final Supplier<String> profileName;
  private Optional<GroupInfo> group = Optional.empty();

  GroupInfoViewModel(GroupId groupId, ParleyClient client, Tasks tasks, FileServices files,
      Function<String, String> nameOf, Supplier<String> profileName) {
    this.files = files;
    this.profileName = profileName;
    this.groupId = groupId;
    this.client = client;
    this.tasks = tasks;
    this.nameOf = nameOf;
  }

  /** The group's state now (after loading, and after every change from anyone). */
  void update(GroupInfo g, String me) {
    group = Optional.of(g);
    name.set(g.name());
    hasPicture.set(g.picture().isPresent());
    boolean isAdmin = g.isAdmin(me);
    admin.set(isAdmin);
    member.set(g.selfIsMember());
    canEdit.set(g.selfIsMember() && g.mayEdit(me));
    membersMayEdit.set(g.membersMayEdit());
    List<MemberRow> rows = new ArrayList<>();
    for (GroupMember m : g.members()) {
      boolean self = m.number().equals(me);
      String shown = nameOf.apply(m.number());
      String profile = self ? profileName.get() : "";
      boolean named = !profile.isBlank();
      rows.add(new MemberRow(m.number(), shown, Format.initials(named ? profile : shown),
          named ? profile : m.number(), m.isAdmin(), self,
          isAdmin && !self, isAdmin && !m.isAdmin()));
    }
    // You first, then admins, then everyone by name.
    rows.sort(Comparator.comparing((MemberRow r) -> !r.me()).thenComparing(r -> !r.admin())
        .thenComparing(MemberRow::name, String.CASE_INSENSITIVE_ORDER));
    members.set(rows);
    int n = g.members().size();
    summary.set(n + (n == 1 ? " member" : " members")
        + (g.selfIsMember() ? g.membersMayEdit() ? " · everyone may edit" : " · only admins edit"
            : " · you are no longer a member"));
    if (!canEdit.get()) {
      addingOpen.set(false);
    }
  }

  /** Renames the group; blank or too long names are refused here with the reason. */
  public void rename(String text) {
    String next = text == null ? "" : text.strip();
    if (next.isEmpty()) {
      error.set("The group needs a name");
      return;
    }
    if (next.codePointCount(0, next.length()) > GroupInfo.MAX_NAME_LENGTH) {
      error.set("At most " + GroupInfo.MAX_NAME_LENGTH + " characters");
      return;
    }
    if (next.equals(name.get())) {
      error.set("");
      return;
    }
    change(() -> client.renameGroup(groupId, next));
  }

  /**
   * Sets the group's picture (stripped of its metadata and uploaded once by client-core, on the file thread: the
   * upload takes a moment); a refusal (not an admin, not a picture, too large) is shown here.
   */
  public void setPicture(Path file) {
    if (file == null) {
      return;
    }
    busy.set(true);
    error.set("");
    files.tasks().run(() -> client.setGroupPicture(groupId, file), g -> busy.set(false), message -> {
      busy.set(false);
      error.set(message);
    });
  }

  public void removePicture() {
    change(() -> client.removeGroupPicture(groupId));
  }

  /** Opens the picker with one's chats that are not in the group. */
  public void startAdding(List<ContactPicker.Candidate> people) {
    adding.offer(people, new HashSet<>(group.map(GroupInfo::memberNumbers).orElse(List.of())));
    error.set("");
    addingOpen.set(true);
  }

  public void cancelAdding() {
    addingOpen.set(false);
  }

  /** Adds the people ticked in the picker. */
  public void addPicked() {
    List<String> picked = adding.picked();
    if (picked.isEmpty()) {
      error.set("Tick the people to add");
      return;
    }
    change(() -> client.addGroupMembers(groupId, picked), () -> addingOpen.set(false));
  }

  public void remove(String number) {
    change(() -> client.removeGroupMember(groupId, number));
  }

  public void promote(String number) {
    change(() -> client.promoteGroupMember(groupId, number));
  }

  public void setMembersMayEdit(boolean on) {
    if (on != membersMayEdit.get()) {
      change(() -> client.setGroupMembersMayEdit(groupId, on));
    }
  }

  /** "Leave group": asks first. */
  public void askLeave() {
    confirmLeave.set(true);
  }

  public void cancelLeave() {
    confirmLeave.set(false);
  }

  public void leave() {
    confirmLeave.set(false);
    change(() -> client.leaveGroup(groupId));
  }

  private void change(Tasks.Call<GroupInfo> call) {
    change(call, () -> { });
  }

  /**
   * Runs a change on the io thread. The new state comes back here and, with its system line, through client-core's
   * groupChanged event to the conversation.
   */
  private void change(Tasks.Call<GroupInfo> call, Runnable then) {
    busy.set(true);
    error.set("");
    tasks.run(call, g -> {
      busy.set(false);
      then.run();
    }, message -> {
      busy.set(false);
      error.set(message);
    });
  }
}
