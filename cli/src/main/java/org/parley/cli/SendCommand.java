package org.parley.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NetworkException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.location.Location;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "send", mixinStandardHelpOptions = true,
    description = {"Send TEXT to NUMBER, or a place (--location LAT,LON [--label NAME]).",
    "The message is stored in the outbox first; if the server cannot be reached it stays there and is sent by the "
        + "next parley command that connects (exit code 3)."})
final class SendCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Parameters(index = "0", paramLabel = "NUMBER")
  String number;

  @Parameters(index = "1", paramLabel = "TEXT", arity = "0..1")
  String text;

  @Option(names = "--location", paramLabel = "LAT,LON",
      description = "Share a place instead of text: degrees with a dot for decimals (48.85837,2.29448) or a geo: URI.")
  String location;

  @Option(names = "--label", paramLabel = "NAME", description = "The place's name, with --location.")
  String label;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "How long to wait for the server to accept the message (default ${DEFAULT-VALUE}).")
  int timeout;

  @Override
  public Integer call() throws Exception {
    try (ParleyClient client = parent.open()) {
      // Listening before sending: once connected, the outbox reports the new status from its own thread.
      SettledStatuses statuses = new SettledStatuses();
      client.addListener(statuses);
      Message message = location == null ? client.send(number, requiredText())
          : client.sendLocation(number, place());
      client.connect();
      MessageStatus status = statuses.await(message.id(), Duration.ofSeconds(timeout));
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

  private String requiredText() throws InvalidInputException {
    if (text == null) {
      throw new InvalidInputException("Give the TEXT to send, or --location LAT,LON");
    }
    if (label != null) {
      throw new InvalidInputException("--label names a place: use it with --location");
    }
    return text;
  }

  private Location place() throws InvalidInputException {
    if (text != null) {
      throw new InvalidInputException("Send either TEXT or --location, not both");
    }
    Location parsed = Location.parse(location);
    return Location.of(parsed.latitude(), parsed.longitude(), parsed.accuracyMeters(), Optional.ofNullable(label),
        Optional.empty());
  }

  /** The first status other than PENDING that the client reports for each message: sent, failed, or beyond. */
  static final class SettledStatuses implements ParleyListener {

    private final Map<Long, MessageStatus> settled = new HashMap<>();

    @Override
    public synchronized void statusChanged(Message message) {
      if (message.status() != MessageStatus.PENDING) {
        settled.putIfAbsent(message.id(), message.status());
        notifyAll();
      }
    }

    /** The settled status of message {@code messageId}, or PENDING if none came within {@code timeout}. */
    synchronized MessageStatus await(long messageId, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!settled.containsKey(messageId)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return MessageStatus.PENDING;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return settled.get(messageId);
    }
  }
}
