package org.parley.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.SearchResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "search", mixinStandardHelpOptions = true,
    description = {"Find messages containing TEXT (ignoring case) in every conversation and group, newest first.",
        "  +1555…  << / >> text        a 1:1 message", "  [Trip] +1555…: text        a group message"})
final class SearchCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Parameters(paramLabel = "TEXT")
  String text;

  @Option(names = "--limit", defaultValue = "50", description = "At most this many messages (1 to 1000, default "
      + "${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "A JSON array: the objects of `history --json` (with `number`) and of "
      + "`history --group --json` (type groupMessage, with `group`, `groupName` and `sender`).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (ParleyClient client = parent.open()) {
      var found = client.searchAll(text, limit);
      if (json) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (SearchResult r : found) {
          if (r instanceof SearchResult.InGroup g) {
            ObjectNode node = GroupOutput.message(g.message());
            node.put("groupName", g.groupName());
            array.add(node);
          } else {
            array.add(Json.message(((SearchResult.Direct) r).message()));
          }
        }
        parent.out().println(Json.write(array));
      } else {
        for (SearchResult r : found) {
          parent.out().println(r instanceof SearchResult.InGroup g ? GroupOutput.line(g.message(), g.groupName())
              : ((SearchResult.Direct) r).message().contactNumber() + "  "
                  + Text.historyLine(((SearchResult.Direct) r).message()));
        }
      }
    }
    return ExitCodes.OK;
  }
}
