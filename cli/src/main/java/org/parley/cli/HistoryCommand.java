package org.parley.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.concurrent.Callable;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.groups.GroupHistoryEntry;
import org.parley.client.api.groups.GroupId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "history", mixinStandardHelpOptions = true,
    description = {"Show the conversation with NUMBER, oldest first, with each message's "
    + "status:", "  >> sent by you: … pending, ✓ sent, ✓✓ delivered, ✓✓ read, ✗ failed", "  << received"})
final class HistoryCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Parameters(paramLabel = "NUMBER", arity = "0..1")
  String number;

  @Option(names = {"-g", "--group"}, paramLabel = "GROUP_ID", description = "A group's messages and system lines "
      + "instead (JSON: type groupMessage with sender and group, or groupEvent).")
  String group;

  @Option(names = "--limit", defaultValue = "50", description = "At most this many (newest) messages "
      + "(default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "A JSON array.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if ((group == null) == (number == null)) {
      throw new InvalidInputException("Give a NUMBER or --group GROUP_ID");
    }
    if (group != null) {
      return groupHistory();
    }
    try (ParleyClient client = parent.open()) {
      List<Message> messages = client.history(number, limit);
      if (json) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        messages.forEach(m -> array.add(Json.message(m)));
        parent.out().println(Json.write(array));
      } else {
        messages.forEach(m -> parent.out().println(Text.historyLine(m)));
      }
    }
    return ExitCodes.OK;
  }

  private int groupHistory() throws Exception {
    try (ParleyClient client = parent.open()) {
      GroupId id = GroupId.parse(group);
      String name = client.group(id).name();
      List<GroupHistoryEntry> entries = client.groupHistory(id, limit);
      if (json) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        entries.forEach(e -> array.add(GroupOutput.entry(e)));
        parent.out().println(Json.write(array));
      } else {
        entries.forEach(e -> parent.out().println(GroupOutput.line(e, name)));
      }
    }
    return ExitCodes.OK;
  }
}
