package org.parley.client.internal.messaging;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.internal.attachments.AttachmentFormat;
import org.parley.client.internal.attachments.AttachmentPointers;
import org.parley.client.internal.attachments.OutgoingFiles;
import org.parley.client.internal.proto.AttachmentPointer;
import org.parley.client.internal.store.AttachmentTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the attachment pointers of a received message (or of one our other device sent) with the message, each
 * checked first ({@link AttachmentPointers}); after the commit the new attachments are handed on, so pictures below
 * the auto-download limit start downloading. A pointer that fails the check is kept as a FAILED attachment saying
 * why, so the person sees that something came and could not be used.
 */
public final class IncomingAttachments {

  private static final Logger log = LoggerFactory.getLogger(IncomingAttachments.class);
  private static final String OCTET_STREAM = "application/octet-stream";

  private final AttachmentTable attachments;
  private final Consumer<List<Long>> stored;
  private final Clock clock;

  public IncomingAttachments(AttachmentTable attachments, Consumer<List<Long>> stored, Clock clock) {
    this.attachments = attachments;
    this.stored = stored;
    this.clock = clock;
  }

  /** Stores {@code pointers} as the attachments of message {@code messageId}, inside the caller's transaction. */
  public void store(long messageId, boolean outgoing, List<AttachmentPointer> pointers, AfterCommit afterCommit) {
    store(AttachmentTable.Owner.MESSAGE, null, messageId, outgoing, pointers, afterCommit);
  }

  /** As {@link #store(long, boolean, List, AfterCommit)} for a group message's or a group picture's pointers. */
  public void store(AttachmentTable.Owner owner, String groupId, long messageId, boolean outgoing,
      List<AttachmentPointer> pointers, AfterCommit afterCommit) {
    if (pointers.isEmpty()) {
      return;
    }
    List<Long> ids = insert(owner, groupId, messageId, outgoing, pointers);
    afterCommit.then(() -> stored.accept(ids));
  }

  /** Stores checked pointers (a bad one as a FAILED row saying why) without starting downloads; returns the ids. */
  public List<Long> insert(AttachmentTable.Owner owner, String groupId, long messageId, boolean outgoing,
      List<AttachmentPointer> pointers) {
    List<AttachmentTable.New> rows = new ArrayList<>();
    for (AttachmentPointer p : pointers) {
      String fileId = OutgoingFiles.newFileId();
      try {
        AttachmentPointers.check(p);
        AttachmentFormat format = AttachmentFormat.ofWire(p.getCipherFormat());
        // A voice note's own length is the one its bubble shows; the pointer's general field is a fallback.
        long durationMs = p.hasVoiceNote() ? Integer.toUnsignedLong(p.getVoiceNote().getDurationMs())
            : Integer.toUnsignedLong(p.getDurationMs());
        rows.add(new AttachmentTable.New(fileId, p.getId(), p.getKey().toByteArray(), p.getDigest().toByteArray(),
            p.getSize(), OutgoingFiles.ciphertextSizeOf(format, p.getSize()),
            contentType(p.getContentType()), p.getFileName(), positive(p.getWidth()),
            positive(p.getHeight()), durationMs == 0 ? null : durationMs,
            p.getThumbnail().isEmpty() ? null : p.getThumbnail().toByteArray(),
            p.getCaption().isEmpty() ? null : p.getCaption(), AttachmentState.NOT_DOWNLOADED, null,
            p.hasVoiceNote() ? p.getVoiceNote().getWaveform().toByteArray() : null, format.wire()));
      } catch (InvalidInputException bad) {
        log.warn("message {} carries an unusable attachment pointer: {}", messageId, bad.getMessage());
        rows.add(new AttachmentTable.New(fileId, null, null, null, 0, 0, OCTET_STREAM, "", null, null, null, null,
            null, AttachmentState.FAILED, "The sender's attachment cannot be used: " + bad.getMessage(), null,
            AttachmentFormat.CBC_HMAC.wire()));
      }
    }
    return attachments.insert(owner, groupId, messageId, outgoing, rows, clock.millis());
  }

  /** The checked type without its parameters (which may be long), lower case; octet-stream when there is none. */
  static String contentType(String checked) {
    int semicolon = checked.indexOf(';');
    String type = (semicolon < 0 ? checked : checked.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return type.isEmpty() ? OCTET_STREAM : type;
  }

  private static Integer positive(int value) {
    return value == 0 ? null : value;
  }
}
