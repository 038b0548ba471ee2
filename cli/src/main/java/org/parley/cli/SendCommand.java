package org.parley.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NetworkException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentProgress;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.location.Location;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "send", mixinStandardHelpOptions = true,
    description = {"Send TEXT to NUMBER, with files if --attachment is given (TEXT is then their caption and may be "
        + "left out), a place (--location LAT,LON [--label NAME]) or a voice note (--voice FILE.wav).",
    "The message (and a copy of each file, encrypted) is stored in the outbox first; if the server cannot be reached "
        + "it stays there and is sent by the next parley command that connects (exit code 3). An interrupted upload "
        + "continues where it stopped."})
final class SendCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Parameters(index = "0", paramLabel = "NUMBER", arity = "0..1")
  String number;

  @Option(names = {"-g", "--group"}, paramLabel = "GROUP_ID",
      description = "Send TEXT (and --attachment files) to a group instead (parley send --group GROUP_ID "
          + "[--attachment FILE] TEXT): encrypted once with your sender key, each file uploaded once, delivered to "
          + "every member's devices.")
  String group;

  @Parameters(index = "1", paramLabel = "TEXT", arity = "0..1")
  String text;

  @Option(names = {"-a", "--attachment"}, paramLabel = "FILE",
      description = "A file to send (repeat for several). Pictures are sent without their metadata (location, "
          + "camera, time) and with a thumbnail.")
  List<Path> attachments = new ArrayList<>();

  @Option(names = "--as-file", description = "Send the attachments exactly as they are, pictures included (their "
      + "metadata is kept).")
  boolean asFile;

  @Option(names = "--location", paramLabel = "LAT,LON",
      description = "Share a place instead of text: degrees with a dot for decimals (48.85837,2.29448) or a geo: URI.")
  String location;

  @Option(names = "--label", paramLabel = "NAME", description = "The place's name, with --location.")
  String label;

  @Option(names = "--voice", paramLabel = "FILE.wav",
      description = "Send a voice note made from a WAV recording (uncompressed, any sample rate and channel count; "
          + "sent as Ogg Opus, 16 kHz mono, with its duration and waveform).")
  Path voice;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "How long to wait for the server to accept the message, and for an upload that makes no "
          + "progress (default ${DEFAULT-VALUE}).")
  int timeout;

  @Override
  public Integer call() throws Exception {
    if (group != null) {
      return sendToGroup();
    }
    if (number == null) {
      throw new InvalidInputException("Give the NUMBER to send to (or --group GROUP_ID)");
    }
    List<OutgoingAttachment> outgoing = new ArrayList<>();
    for (Path file : attachments) {
      outgoing.add(new OutgoingAttachment(readable(file), Optional.empty(), Optional.empty(), asFile));
    }
    if (location != null && !outgoing.isEmpty()) {
      throw new InvalidInputException("Send either --location or --attachment, not both");
    }
    if (label != null && location == null) {
      throw new InvalidInputException("--label names a place: use it with --location");
    }
    if (voice != null) {
      if (location != null || !outgoing.isEmpty()) {
        throw new InvalidInputException("Send either --voice or --location/--attachment, not both");
      }
      if (text != null) {
        throw new InvalidInputException("A voice note carries no text: send TEXT as a message of its own");
      }
      readable(voice);
    }
    try (ParleyClient client = parent.open()) {
      // Listening before sending: once connected, the outbox reports the new status from its own thread.
      SettledStatuses statuses = new SettledStatuses();
      client.addListener(statuses);
      Message message;
      if (voice != null) {
        message = client.sendVoiceNote(number, voice);
      } else if (location != null) {
        message = client.sendLocation(number, place());
      } else if (!outgoing.isEmpty()) {
        message = client.send(number, text == null ? "" : text, outgoing);
      } else {
        message = client.send(number, requiredText());
      }
      client.connect();
      MessageStatus status = statuses.await(message.id(), Duration.ofSeconds(timeout));
      if (status == MessageStatus.PENDING) {
        throw new NetworkException("Not sent yet: the server did not accept the message"
            + (outgoing.isEmpty() ? "" : " or its attachments") + " within " + timeout + " s. It stays in the "
            + "outbox and is sent by the next parley command that connects.");
      }
      if (status == MessageStatus.FAILED) {
        return failed(client, message);
      }
      parent.out().println(message.timestamp());
      for (Attachment a : message.attachments()) {
        parent.out().println(Text.attachment(client.attachment(a.id())));
      }
      // Let the receipts and messages that arrived meanwhile be acknowledged before closing.
      client.awaitOutboxEmpty(Duration.ofSeconds(2));
    }
    return ExitCodes.OK;
  }

  /** With --group the one positional argument is the text (NUMBER's place). */
  private int sendToGroup() throws Exception {
    if (text != null) {
      throw new InvalidInputException("With --group give only the TEXT: parley send --group GROUP_ID TEXT");
    }
    if (location != null || voice != null) {
      throw new InvalidInputException("Groups take text and --attachment files (no --location or --voice yet)");
    }
    List<OutgoingAttachment> outgoing = new ArrayList<>();
    for (Path file : attachments) {
      outgoing.add(new OutgoingAttachment(readable(file), Optional.empty(), Optional.empty(), asFile));
    }
    if (number == null && outgoing.isEmpty()) {
      throw new InvalidInputException("Give the TEXT to send to the group, or --attachment FILE");
    }
    GroupId groupId = GroupId.parse(group);
    try (ParleyClient client = parent.open()) {
      GroupStatuses statuses = new GroupStatuses();
      client.addListener(statuses);
      GroupMessage message = outgoing.isEmpty() ? client.sendToGroup(groupId, number)
          : client.sendToGroup(groupId, number == null ? "" : number, outgoing);
      client.connect();
      MessageStatus status = statuses.await(message.id(), Duration.ofSeconds(timeout));
      if (status == MessageStatus.PENDING) {
        throw new NetworkException("Not sent yet: the server did not accept the message within " + timeout
            + " s. It stays in the outbox and is sent by the next parley command that connects.");
      }
      if (status == MessageStatus.FAILED) {
        for (Attachment a : message.attachments()) {
          Attachment now = client.attachment(a.id());
          now.error().ifPresent(e -> parent.err().println("parley: " + now.fileName() + ": " + e));
        }
        parent.err().println("parley: the message to group " + groupId + " was not sent"
            + (outgoing.isEmpty() ? ": the server refused it" : ""));
        return ExitCodes.ERROR;
      }
      parent.out().println(message.timestamp());
      for (Attachment a : message.attachments()) {
        parent.out().println(Text.attachment(client.attachment(a.id())));
      }
      client.awaitOutboxEmpty(Duration.ofSeconds(2));
    }
    return ExitCodes.OK;
  }

  /** The first status other than PENDING of each group message. */
  static final class GroupStatuses implements ParleyListener {
    private final Map<Long, MessageStatus> settled = new HashMap<>();

    @Override
    public synchronized void groupStatusChanged(GroupMessage message) {
      if (message.status() != MessageStatus.PENDING) {
        settled.putIfAbsent(message.id(), message.status());
        notifyAll();
      }
    }

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

  private String requiredText() throws InvalidInputException {
    if (text == null) {
      throw new InvalidInputException("Give the TEXT to send, --location LAT,LON or --attachment FILE");
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

  /** A clear error for a file that cannot be sent, before anything is queued. */
  private static Path readable(Path file) throws InvalidInputException {
    if (!Files.exists(file)) {
      throw new InvalidInputException("Cannot send " + file + ": no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("Cannot send " + file + ": not a regular file");
    }
    if (!Files.isReadable(file)) {
      throw new InvalidInputException("Cannot send " + file + ": not readable (permission denied)");
    }
    return file;
  }

  /** The server refused the message or one of its uploads: says why (e.g. over the size limit). */
  private int failed(ParleyClient client, Message message) throws ParleyException {
    List<String> reasons = new ArrayList<>();
    for (Attachment a : message.attachments()) {
      Attachment now = client.attachment(a.id());
      now.error().ifPresent(e -> reasons.add(now.fileName() + ": " + e));
    }
    parent.err().println(reasons.isEmpty() ? "parley: the server refused the message to " + number
        : "parley: not sent to " + number + ": " + String.join("; ", reasons));
    return ExitCodes.ERROR;
  }

  /**
   * The first status other than PENDING that the client reports for each message: sent, failed, or beyond. Upload
   * progress keeps the wait going: {@code --timeout} is how long the client may make no progress.
   */
  static final class SettledStatuses implements ParleyListener {

    private final Map<Long, MessageStatus> settled = new HashMap<>();
    private long lastProgress = System.nanoTime();

    @Override
    public synchronized void statusChanged(Message message) {
      if (message.status() != MessageStatus.PENDING) {
        settled.putIfAbsent(message.id(), message.status());
        notifyAll();
      }
    }

    @Override
    public synchronized void attachmentProgress(AttachmentProgress progress) {
      if (progress.upload()) {
        lastProgress = System.nanoTime();
      }
    }

    /** The settled status of message {@code messageId}, or PENDING if none came within {@code timeout}. */
    synchronized MessageStatus await(long messageId, Duration timeout) throws InterruptedException {
      lastProgress = System.nanoTime();
      while (!settled.containsKey(messageId)) {
        long left = lastProgress + timeout.toNanos() - System.nanoTime();
        if (left <= 0) {
          return MessageStatus.PENDING;
        }
        TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)));
      }
      return settled.get(messageId);
    }
  }
}
