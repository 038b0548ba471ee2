package org.parley.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NetworkException;
import org.parley.client.api.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "send", mixinStandardHelpOptions = true,
    description = {"Send TEXT to NUMBER.",
    "The message is stored in the outbox first; if the server cannot be reached it stays there and is sent by the "
        + "next parley command that connects (exit code 3)."})
final class SendCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Parameters(index = "0", paramLabel = "NUMBER")
  String number;

  @Parameters(index = "1", paramLabel = "TEXT")
  String text;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "How long to wait for the server to accept the message (default ${DEFAULT-VALUE}).")
  int timeout;

  @Override
  public Integer call() throws Exception {
    try (ParleyClient client = parent.open()) {
      Message message = client.send(number, text);
      client.connect();
      long deadline = System.nanoTime() + Duration.ofSeconds(timeout).toNanos();
      MessageStatus status = message.status();
      while (System.nanoTime() < deadline) {
        status = client.history(number, 1000).stream().filter(m -> m.id() == message.id()).findFirst()
            .map(Message::status).orElse(MessageStatus.PENDING);
        if (status != MessageStatus.PENDING) {
          break;
        }
        Thread.sleep(50);
      }
      if (status == MessageStatus.PENDING) {
        throw new NetworkException("Not sent yet: the server did not accept the message within " + timeout
            + " s. It stays in the outbox and is sent by the next parley command that connects.");
      }
      if (status == MessageStatus.FAILED) {
        parent.err().println("parley: the server refused the message to " + number);
        return ExitCodes.ERROR;
      }
      parent.out().println(message.timestamp());
      // Let the receipts and messages that arrived meanwhile be acknowledged before closing.
      client.awaitOutboxEmpty(Duration.ofSeconds(2));
    }
    return ExitCodes.OK;
  }
}
