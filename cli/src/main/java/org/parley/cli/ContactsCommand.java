package org.parley.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.concurrent.Callable;
import org.parley.client.api.Contact;
import org.parley.client.api.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "contacts", mixinStandardHelpOptions = true,
    description = "List everyone you have a conversation with, newest first.")
final class ContactsCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Option(names = "--json", description = "A JSON array.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (ParleyClient client = parent.open()) {
      List<Contact> contacts = client.contacts();
      if (json) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        contacts.forEach(c -> array.add(Json.contact(c)));
        parent.out().println(Json.write(array));
      } else {
        for (Contact c : contacts) {
          parent.out().println(c.number() + "  " + c.unread() + " unread  last " + Text.time(c.lastActivity())
              + c.identityChangedAt().map(t -> "  (safety number changed " + Text.time(t) + ")").orElse(""));
        }
      }
    }
    return ExitCodes.OK;
  }
}
