package org.parley.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.client.api.CorruptAttachmentException;
import org.parley.client.api.Message;
import org.parley.client.api.NetworkException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentProgress;
import org.parley.client.api.groups.GroupMessage;

/**
 * Downloads received attachments and writes them, decrypted, into a directory. A download may take as long as it
 * needs while it moves; it fails once it has made no progress for the stall limit. Register it as a listener of the
 * client so that it sees the progress.
 */
final class AttachmentSaver implements ParleyListener {

  /** What became of one message's attachments: its JSON (with {@code savedPath}/{@code error}) and text lines. */
  record Saved(ObjectNode json, String text, int failures) {}

  private final ParleyClient client;
  private final Runnable onProgress;
  /** Per attachment id, when its download last moved (System.nanoTime). */
  private final Map<Long, Long> lastProgress = new ConcurrentHashMap<>();

  AttachmentSaver(ParleyClient client, Runnable onProgress) {
    this.client = client;
    this.onProgress = onProgress;
  }

  @Override
  public void attachmentProgress(AttachmentProgress progress) {
    if (!progress.upload()) {
      lastProgress.put(progress.attachmentId(), System.nanoTime());
    }
    onProgress.run();
  }

  /**
   * Waits for the attachment's download (starting it if needed) and saves it into {@code directory}; returns the
   * path. The client's errors pass through: {@link CorruptAttachmentException} (nothing saved),
   * {@link NotFoundException} (expired), {@link NetworkException} (no progress within the stall limit).
   */
  Path save(long attachmentId, Path directory, Duration stallLimit) throws ParleyException, InterruptedException {
    awaitDownloaded(attachmentId, stallLimit);
    return client.saveAttachment(attachmentId, directory);
  }

  /** Waits for a download while it makes progress. */
  Attachment awaitDownloaded(long attachmentId, Duration stallLimit) throws ParleyException, InterruptedException {
    if (client.attachment(attachmentId).state().isLocal()) {
      return client.attachment(attachmentId);
    }
    lastProgress.put(attachmentId, System.nanoTime());
    while (true) {
      try {
        return client.awaitDownload(attachmentId, stallLimit);
      } catch (NetworkException e) {
        boolean stillMoving = client.attachment(attachmentId).state().inProgress()
            && System.nanoTime() - lastProgress.get(attachmentId) < stallLimit.toNanos();
        if (!stillMoving) {
          throw e;
        }
      }
    }
  }

  /**
   * Saves every attachment of {@code message}; failures are reported on {@code err} (naming the attachment) and
   * counted, and the other attachments are still saved.
   */
  Saved saveAll(Message message, Path directory, Duration stallLimit, PrintWriter err) {
    ObjectNode json = Json.message(message);
    json.put("type", "message");
    return saveAll(message.attachments(), message.contactNumber(), json, Text.received(message), directory,
        stallLimit, err);
  }

  /** As {@link #saveAll(Message, Path, Duration, PrintWriter)} for a group message. */
  Saved saveAll(GroupMessage message, Path directory, Duration stallLimit, PrintWriter err) {
    ObjectNode json = GroupOutput.message(message);
    String line = GroupOutput.line(new GroupMessage(message.id(), message.groupId(), message.senderNumber(),
        message.direction(), message.text(), message.timestamp(), message.receivedAt(), message.status(),
        message.statusAt(), List.of()), message.groupId().value());
    return saveAll(message.attachments(), message.senderNumber() + " in group " + message.groupId(), json, line,
        directory, stallLimit, err);
  }

  private Saved saveAll(List<Attachment> attachments, String from, ObjectNode json, String firstLine,
      Path directory, Duration stallLimit, PrintWriter err) {
    StringBuilder text = new StringBuilder(firstLine);
    int failures = 0;
    for (Attachment a : attachments) {
      String name = "attachment " + a.id() + " (" + a.fileName() + ") from " + from;
      String outcome;
      try {
        Path saved = save(a.id(), directory, stallLimit);
        Json.attachmentOf(json, a.id()).put("savedPath", saved.toString()).put("state", "downloaded");
        outcome = "saved to " + saved;
      } catch (ParleyException e) {
        failures++;
        String why = reason(e, a.id());
        synchronized (err) {
          err.println("parley: " + name + ": " + why);
          err.flush();
        }
        ObjectNode node = Json.attachmentOf(json, a.id());
        node.put("error", why);
        currentState(a.id()).ifPresent(state -> node.put("state", state));
        outcome = "not saved: " + why;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failures++;
        outcome = "not saved: interrupted";
      }
      text.append(System.lineSeparator()).append("  ").append(Text.attachment(a)).append(' ').append(outcome);
    }
    return new Saved(json, text.toString(), failures);
  }

  private Optional<String> currentState(long attachmentId) {
    try {
      return Optional.of(Json.attachment(client.attachment(attachmentId)).path("state").asText());
    } catch (ParleyException e) {
      return Optional.empty();
    }
  }

  /** Why an attachment could not be saved, in words, with what to do next where something can be done. */
  static String reason(ParleyException e, long attachmentId) {
    if (e instanceof CorruptAttachmentException) {
      return "the download is damaged or was tampered with; nothing was saved (" + e.getMessage() + ")";
    }
    if (e instanceof NotFoundException) {
      return "no longer available on the server (" + e.getMessage() + ")";
    }
    if (e instanceof NetworkException) {
      return "not downloaded (" + e.getMessage() + "); 'parley attachment save " + attachmentId + "' tries again";
    }
    return e.getMessage();
  }
}
