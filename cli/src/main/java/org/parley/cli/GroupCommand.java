package org.parley.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
        GroupCommand.Promote.class, GroupCommand.Leave.class, GroupCommand.Rename.class, GroupCommand.Info.class,
        GroupCommand.ListGroups.class, GroupCommand.Read.class, GroupCommand.MessageInfo.class})
final class GroupCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Override
  public Integer call() {
    parent.err().println("parley: group needs a subcommand: create, add, remove, promote, leave, rename, info, list, "
        + "read or message-info (parley group --help)");
    return ExitCodes.USAGE;
  }

  /** What every changing subcommand shares: open, change, send the change, print the group. */
  abstract static class Change implements Callable<Integer> {

    @ParentCommand
    GroupCommand group;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "How long to wait for the change to be sent (default ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--json", description = "Print the group as JSON.")
    boolean json;

    abstract GroupInfo change(ParleyClient client) throws ParleyException;

    /** What to print before the group (create: its id). */
    void preamble(GroupInfo info) {}

    @Override
    public Integer call() throws Exception {
      try (ParleyClient client = group.parent.open()) {
        GroupInfo info = change(client);
        preamble(info);
        client.connect();
        if (!client.awaitOutboxEmpty(Duration.ofSeconds(timeout))) {
          throw new NetworkException("The change is made here but not sent yet; it goes out with the next connection");
        }
        group.parent.out().println(json ? Json.write(GroupOutput.info(info)) : GroupOutput.infoText(info));
      }
      return ExitCodes.OK;
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
      group.parent.out().println(info.id().value());
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add members (admins only, unless the "
      + "group lets every member edit).")
  static final class Add extends Change {
    @Parameters(index = "0", paramLabel = "GROUP_ID")
    String groupId;

    @Parameters(index = "1..*", paramLabel = "+NUMBER", arity = "1..*")
    List<String> members = new ArrayList<>();

    @Override
    GroupInfo change(ParleyClient client) throws ParleyException {
      return client.addGroupMembers(GroupId.parse(groupId), members);
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a member (admins only).")
  static final class Remove extends Change {
    @Parameters(index = "0", paramLabel = "GROUP_ID")
    String groupId;

    @Parameters(index = "1", paramLabel = "+NUMBER")
    String number;

    @Override
    GroupInfo change(ParleyClient client) throws ParleyException {
      return client.removeGroupMember(GroupId.parse(groupId), number);
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, description = "Make a member an admin (admins only).")
  static final class Promote extends Change {
    @Parameters(index = "0", paramLabel = "GROUP_ID")
    String groupId;

    @Parameters(index = "1", paramLabel = "+NUMBER")
    String number;

    @Override
    GroupInfo change(ParleyClient client) throws ParleyException {
      return client.promoteGroupMember(GroupId.parse(groupId), number);
    }
  }

  @Command(name = "leave", mixinStandardHelpOptions = true, description = "Leave the group.")
  static final class Leave extends Change {
    @Parameters(index = "0", paramLabel = "GROUP_ID")
    String groupId;

    @Override
    GroupInfo change(ParleyClient client) throws ParleyException {
      return client.leaveGroup(GroupId.parse(groupId));
    }
  }

  @Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename the group (admins only, unless "
      + "every member may edit).")
  static final class Rename extends Change {
    @Parameters(index = "0", paramLabel = "GROUP_ID")
    String groupId;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    GroupInfo change(ParleyClient client) throws ParleyException {
      return client.renameGroup(GroupId.parse(groupId), name);
    }
  }

  @Command(name = "info", mixinStandardHelpOptions = true, description = "The group: name, revision, members "
      + "and admins (local; no network).")
  static final class Info implements Callable<Integer> {
    @ParentCommand
    GroupCommand group;

    @Parameters(index = "0", paramLabel = "GROUP_ID")
    String groupId;

    @Option(names = "--json", description = "As JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try (ParleyClient client = group.parent.open()) {
        GroupInfo info = client.group(GroupId.parse(groupId));
        group.parent.out().println(json ? Json.write(GroupOutput.info(info)) : GroupOutput.infoText(info));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every group this device knows, newest "
      + "activity first (local; no network).")
  static final class ListGroups implements Callable<Integer> {
    @ParentCommand
    GroupCommand group;

    @Option(names = "--json", description = "A JSON array.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try (ParleyClient client = group.parent.open()) {
        List<GroupInfo> groups = client.groups();
        if (json) {
          ArrayNode array = Json.MAPPER.createArrayNode();
          groups.forEach(g -> array.add(GroupOutput.info(g)));
          group.parent.out().println(Json.write(array));
        } else {
          for (GroupInfo g : groups) {
            group.parent.out().println(g.id().value() + "  " + g.name() + "  " + g.members().size() + " members"
                + (g.unread() > 0 ? "  " + g.unread() + " unread" : "") + (g.selfIsMember() ? "" : "  (left)"));
          }
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "read", mixinStandardHelpOptions = true, description = "Mark the group's messages read and send "
      + "read receipts.")
  static final class Read implements Callable<Integer> {
    @ParentCommand
    GroupCommand group;

    @Parameters(index = "0", paramLabel = "GROUP_ID")
    String groupId;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "How long to wait for the receipts to be sent (default ${DEFAULT-VALUE}).")
    int timeout;

    @Override
    public Integer call() throws Exception {
      try (ParleyClient client = group.parent.open()) {
        int count = client.markGroupRead(GroupId.parse(groupId));
        group.parent.out().println("Marked " + count + " message" + (count == 1 ? "" : "s") + " read");
        if (count > 0) {
          client.connect();
          if (!client.awaitOutboxEmpty(Duration.ofSeconds(timeout))) {
            throw new NetworkException("The read receipts are not sent yet; they go out with the next connection");
          }
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "message-info", mixinStandardHelpOptions = true, description = "Delivered/read per member for "
      + "one of your group messages (its id from history --json).")
  static final class MessageInfo implements Callable<Integer> {
    @ParentCommand
    GroupCommand group;

    @Parameters(index = "0", paramLabel = "MESSAGE_ID")
    long messageId;

    @Override
    public Integer call() throws Exception {
      try (ParleyClient client = group.parent.open()) {
        group.parent.out().println(Json.write(GroupOutput.messageInfo(client.groupMessageInfo(messageId))));
      }
      return ExitCodes.OK;
    }
  }
}
