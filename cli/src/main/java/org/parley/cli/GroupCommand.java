package org.parley.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "group", mixinStandardHelpOptions = true,
    description = {"Group chats: create, change and look at groups. A change is sent to the members (and your other "
        + "devices) before the command returns; if the server cannot be reached it stays queued (exit code 3).",
        "Send to a group with: parley send --group GROUP_ID TEXT"},
    subcommands = {GroupCommand.Create.class, GroupCommand.Add.class, GroupCommand.Remove.class,
        GroupCommand.Promote.class, GroupCommand.Leave.class, GroupCommand.Rename.class, GroupCommand.Picture.class,
        GroupCommand.Info.class,
        GroupCommand.ListGroups.class, GroupCommand.Read.class, GroupCommand.MessageInfo.class})
final class GroupCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Override
  public Integer call() {
    parent.err().println("parley: group needs a subcommand: create, add, remove, promote, leave, rename, picture, info, list, "
        + "read or message-info (parley group --help)");
    return ExitCodes.USAGE;
  }

  /** What every subcommand shares: open the account, act on it, close it. */
  abstract static class Subcommand implements Callable<Integer> {

    @ParentCommand
    GroupCommand group;

    abstract void run(ParleyClient client) throws Exception;

    @Override
    public Integer call() throws Exception {
      try (ParleyClient client = group.parent.open()) {
        run(client);
      }
      return ExitCodes.OK;
    }

    PrintWriter out() {
      return group.parent.out();
    }

    void print(GroupInfo info, boolean json) {
      out().println(json ? Json.write(GroupOutput.info(info)) : GroupOutput.infoText(info));
    }

    /** Sends what is queued; if it cannot go out within {@code timeout} seconds, says {@code notSent} (exit 3). */
    static void deliver(ParleyClient client, int timeout, String notSent)
        throws ParleyException, InterruptedException {
      client.connect();
      if (!client.awaitOutboxEmpty(Duration.ofSeconds(timeout))) {
        throw new NetworkException(notSent);
      }
    }
  }

  /** A changing subcommand: change, send the change, print the group. */
  abstract static class Change extends Subcommand {

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "How long to wait for the change to be sent (default ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--json", description = "Print the group as JSON.")
    boolean json;

    abstract GroupInfo change(ParleyClient client) throws ParleyException;

    /** What to print before the group (create: its id). */
    void preamble(GroupInfo info) {}

    @Override
    void run(ParleyClient client) throws ParleyException, InterruptedException {
      GroupInfo info = change(client);
      preamble(info);
      deliver(client, timeout, "The change is made here but not sent yet; it goes out with the next connection");
      print(info, json);
    }
  }

  /** A change to one existing group, named by its id. */
  abstract static class GroupChange extends Change {
    @Parameters(index = "0", paramLabel = "GROUP_ID")
    String groupId;

    abstract GroupInfo change(ParleyClient client, GroupId id) throws ParleyException;

    @Override
    GroupInfo change(ParleyClient client) throws ParleyException {
      return change(client, GroupId.parse(groupId));
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a group named NAME with you as admin and the given members; prints its id first.")
  static final class Create extends Change {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", paramLabel = "+NUMBER", arity = "1..*")
    List<String> members = new ArrayList<>();

    @Override
    GroupInfo change(ParleyClient client) throws ParleyException {
      return client.createGroup(name, members);
    }

    @Override
    void preamble(GroupInfo info) {
      out().println(info.id().value());
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add members (admins only, unless the "
      + "group lets every member edit).")
  static final class Add extends GroupChange {
    @Parameters(index = "1..*", paramLabel = "+NUMBER", arity = "1..*")
    List<String> members = new ArrayList<>();

    @Override
    GroupInfo change(ParleyClient client, GroupId id) throws ParleyException {
      return client.addGroupMembers(id, members);
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a member (admins only).")
  static final class Remove extends GroupChange {
    @Parameters(index = "1", paramLabel = "+NUMBER")
    String number;

    @Override
    GroupInfo change(ParleyClient client, GroupId id) throws ParleyException {
      return client.removeGroupMember(id, number);
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, description = "Make a member an admin (admins only).")
  static final class Promote extends GroupChange {
    @Parameters(index = "1", paramLabel = "+NUMBER")
    String number;

    @Override
    GroupInfo change(ParleyClient client, GroupId id) throws ParleyException {
      return client.promoteGroupMember(id, number);
    }
  }

  @Command(name = "leave", mixinStandardHelpOptions = true, description = "Leave the group.")
  static final class Leave extends GroupChange {
    @Override
    GroupInfo change(ParleyClient client, GroupId id) throws ParleyException {
      return client.leaveGroup(id);
    }
  }

  @Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename the group (admins only, unless "
      + "every member may edit).")
  static final class Rename extends GroupChange {
    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    GroupInfo change(ParleyClient client, GroupId id) throws ParleyException {
      return client.renameGroup(id, name);
    }
  }

  @Command(name = "picture", mixinStandardHelpOptions = true, description = {"Set the group's picture to FILE, or "
      + "remove it with --remove (admins only, unless every member may edit).",
      "The picture is stripped of its metadata (EXIF, GPS), encrypted and uploaded once; its pointer travels in the "
          + "group's encrypted state, so members added later and devices that were offline get it too."})
  static final class Picture extends GroupChange {
    @Parameters(index = "1", paramLabel = "FILE", arity = "0..1")
    Path file;

    @Option(names = "--remove", description = "Remove the group's picture.")
    boolean remove;

    @Override
    GroupInfo change(ParleyClient client, GroupId id) throws ParleyException {
      if (remove == (file != null)) {
        throw new InvalidInputException("Give either the picture FILE or --remove");
      }
      if (remove) {
        return client.removeGroupPicture(id);
      }
      if (!Files.isRegularFile(file)) {
        throw new InvalidInputException("No file " + file);
      }
      return client.setGroupPicture(id, file);
    }
  }

  @Command(name = "info", mixinStandardHelpOptions = true, description = "The group: name, revision, members "
      + "and admins (local; no network).")
  static final class Info extends Subcommand {
    @Parameters(index = "0", paramLabel = "GROUP_ID")
    String groupId;

    @Option(names = "--json", description = "As JSON.")
    boolean json;

    @Override
    void run(ParleyClient client) throws ParleyException {
      print(client.group(GroupId.parse(groupId)), json);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every group this device knows, newest "
      + "activity first (local; no network).")
  static final class ListGroups extends Subcommand {
    @Option(names = "--json", description = "A JSON array.")
    boolean json;

    @Override
    void run(ParleyClient client) throws ParleyException {
      List<GroupInfo> groups = client.groups();
      if (json) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        groups.forEach(g -> array.add(GroupOutput.info(g)));
        out().println(Json.write(array));
        return;
      }
      for (GroupInfo g : groups) {
        out().println(g.id().value() + "  " + g.name() + "  " + g.members().size() + " members"
            + (g.unread() > 0 ? "  " + g.unread() + " unread" : "") + (g.selfIsMember() ? "" : "  (left)"));
      }
    }
  }

  @Command(name = "read", mixinStandardHelpOptions = true, description = "Mark the group's messages read and send "
      + "read receipts.")
  static final class Read extends Subcommand {
    @Parameters(index = "0", paramLabel = "GROUP_ID")
    String groupId;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "How long to wait for the receipts to be sent (default ${DEFAULT-VALUE}).")
    int timeout;

    @Override
    void run(ParleyClient client) throws ParleyException, InterruptedException {
      int count = client.markGroupRead(GroupId.parse(groupId));
      out().println("Marked " + count + " message" + (count == 1 ? "" : "s") + " read");
      if (count > 0) {
        deliver(client, timeout, "The read receipts are not sent yet; they go out with the next connection");
      }
    }
  }

  @Command(name = "message-info", mixinStandardHelpOptions = true, description = "Delivered/read per member for "
      + "one of your group messages (its id from history --json).")
  static final class MessageInfo extends Subcommand {
    @Parameters(index = "0", paramLabel = "MESSAGE_ID")
    long messageId;

    @Override
    void run(ParleyClient client) throws ParleyException {
      out().println(Json.write(GroupOutput.messageInfo(client.groupMessageInfo(messageId))));
    }
  }
}
