package org.parley.desktop.vm;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.groups.GroupInfo;

/** The "New group" panel: a name and the people from one's chats; Create makes the group with us as its admin. */
public final class NewGroupViewModel {

  public final Value<String> name = new Value<>("");
  public final ContactPicker picker = new ContactPicker();
  public final Value<String> error = new Value<>("");
  public final Value<Boolean> busy = new Value<>(false);
  /** "Alice, Bob and 2 more" — who is ticked, under the list. */
  public final Value<String> pickedLine = new Value<>("");

  private final ParleyClient client;
  private final Tasks tasks;
  private final Consumer<GroupInfo> created;

  /** @param created gets the new group (on the ui executor): the main window opens it */
  NewGroupViewModel(ParleyClient client, Tasks tasks, Consumer<GroupInfo> created) {
    this.client = client;
    this.tasks = tasks;
    this.created = created;
    picker.pickedCount.observe(n -> pickedLine.set(pickedLine()));
  }

  /** A fresh panel offering {@code people} (one's chats with contacts). */
  public void open(List<ContactPicker.Candidate> people) {
    name.set("");
    error.set("");
    busy.set(false);
    picker.offer(people, Set.of());
  }

  public void toggle(String number) {
    picker.toggle(number);
    if (!picker.picked().isEmpty() && error.get().startsWith("Pick")) {
      error.set("");
    }
  }

  /** Creates the group; a missing name, a name too long or nobody picked is said here and nothing is sent. */
  public void create() {
    if (busy.get()) {
      return;
    }
    String n = name.get() == null ? "" : name.get().strip();
    if (n.isEmpty()) {
      error.set("Give the group a name");
      return;
    }
    if (n.codePointCount(0, n.length()) > GroupInfo.MAX_NAME_LENGTH) {
      error.set("A group name has at most " + GroupInfo.MAX_NAME_LENGTH + " characters");
      return;
    }
    List<String> members = picker.picked();
    if (members.isEmpty()) {
      error.set("Pick at least one person");
      return;
    }
    if (members.size() + 1 > GroupInfo.MAX_MEMBERS) {
      error.set("A group has at most " + GroupInfo.MAX_MEMBERS + " members, you included");
      return;
    }
    error.set("");
    busy.set(true);
    tasks.run(() -> client.createGroup(n, members), group -> {
      busy.set(false);
      created.accept(group);
    }, message -> {
      busy.set(false);
      error.set(message);
    });
  }

  private String pickedLine() {
    List<String> names = picker.pickedNames();
    if (names.isEmpty()) {
      return "";
    }
    if (names.size() <= 3) {
      return names.size() == 1 ? names.get(0)
          : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }
    return String.join(", ", names.subList(0, 2)) + " and " + (names.size() - 2) + " more";
  }
}
