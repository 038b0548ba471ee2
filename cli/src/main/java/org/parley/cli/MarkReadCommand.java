package org.parley.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.parley.client.api.NetworkException;
import org.parley.client.api.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "mark-read", mixinStandardHelpOptions = true,
    description = "Mark the messages from NUMBER read and send read receipts.")
final class MarkReadCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Parameters(paramLabel = "NUMBER")
  String number;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "How long to wait for the receipts to be sent (default ${DEFAULT-VALUE}).")
  int timeout;

  @Override
  public Integer call() throws Exception {
    try (ParleyClient client = parent.open()) {
      int count = client.markRead(number);
      parent.out().println("Marked " + count + " message" + (count == 1 ? "" : "s") + " read");
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
