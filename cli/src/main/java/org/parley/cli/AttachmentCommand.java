package org.parley.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.parley.client.api.Contact;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.attachments.Attachment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley attachment save|list}: received and sent files kept (encrypted) in the data directory. */
@Command(name = "attachment", mixinStandardHelpOptions = true,
    description = "Attachments stored in the data directory: list them, or write one out decrypted.",
    subcommands = {AttachmentCommand.Save.class, AttachmentCommand.ListAttachments.class})
final class AttachmentCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Override
  public Integer call() {
    parent.spec.commandLine().getSubcommands().get("attachment").usage(parent.err());
    return ExitCodes.USAGE;
  }

  @Command(name = "save", mixinStandardHelpOptions = true,
      description = {"Write attachment ID, decrypted, into DIR under its file name (made safe and unique); prints "
          + "the path.", "Downloads it first if it is not here yet (exit 5 when the server no longer has it, 1 when "
          + "the download is damaged: nothing is saved then)."})
  static final class Save implements Callable<Integer> {

    @ParentCommand
    AttachmentCommand attachment;

    @Parameters(paramLabel = "ID", description = "The attachment's id, as receive, history and attachment list "
        + "show it.")
    long id;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = ".",
        description = "The directory to write into (default: the current one).")
    Path output;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "Give up a download that makes no progress for this long (default ${DEFAULT-VALUE}).")
    int timeout;

    @Override
    public Integer call() throws Exception {
      ParleyCli parent = attachment.parent;
      if (!Files.isDirectory(output)) {
        throw new InvalidInputException("--output " + output + " is not a directory");
      }
      try (ParleyClient client = parent.open()) {
        Attachment a = client.attachment(id);
        AttachmentSaver saver = new AttachmentSaver(client, () -> { });
        client.addListener(saver);
        if (!a.state().isLocal()) {
          client.connect();
        }
        try {
          parent.out().println(saver.save(id, output, Duration.ofSeconds(Math.max(1, timeout))));
        } catch (ParleyException e) {
          parent.err().println("parley: attachment " + id + " (" + a.fileName() + "): "
              + AttachmentSaver.reason(e, id));
          return ExitCodes.of(e);
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the attachments of the conversation with NUMBER (of every conversation without it), "
          + "oldest first: id, date, direction, number, file name, type, size, state.")
  static final class ListAttachments implements Callable<Integer> {

    @ParentCommand
    AttachmentCommand attachment;

    @Parameters(paramLabel = "NUMBER", arity = "0..1")
    String number;

    @Option(names = "--limit", defaultValue = "500", description = "Look through at most this many (newest) "
        + "messages per conversation (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "A JSON array of attachments, each with its message's number, "
        + "direction and timestamp.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      ParleyCli parent = attachment.parent;
      try (ParleyClient client = parent.open()) {
        List<String> numbers = new ArrayList<>();
        if (number != null) {
          numbers.add(number);
        } else {
          client.contacts().stream().map(Contact::number).forEach(numbers::add);
        }
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (String n : numbers) {
          for (Message m : client.history(n, limit)) {
            for (Attachment a : m.attachments()) {
              if (json) {
                ObjectNode node = Json.attachment(a);
                node.put("number", m.contactNumber());
                node.put("direction", m.direction() == Message.Direction.INCOMING ? "incoming" : "outgoing");
                node.put("timestamp", m.timestamp());
                array.add(node);
              } else {
                parent.out().println(a.id() + "\t" + Text.time(m.timestamp()) + "\t"
                    + (m.direction() == Message.Direction.INCOMING ? "<< " : ">> ") + m.contactNumber() + "\t"
                    + a.fileName() + "\t" + a.contentType() + "\t" + Text.size(a.size()) + "\t" + Text.state(a));
              }
            }
          }
        }
        if (json) {
          parent.out().println(Json.write(array));
        }
      }
      return ExitCodes.OK;
    }
  }
}
