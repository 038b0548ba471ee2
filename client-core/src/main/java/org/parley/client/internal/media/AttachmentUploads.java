package org.parley.client.internal.media;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyException;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.attachments.AttachmentTransfer;
import org.parley.client.internal.attachments.OutgoingFiles;
import org.parley.client.internal.attachments.TransferCancelledException;
import org.parley.client.internal.messaging.AttachmentSettings;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.proto.AttachmentPointer;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.SyncMessage;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.AttachmentTable;
import org.parley.client.internal.store.ContactTable;
import org.parley.client.internal.store.OutboxTable;
import org.parley.protocol.AttachmentSlot;
import org.parley.protocol.AttachmentUploadStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads a message's attachments on the outbox thread before the message is sent (docs/decisions/0121). Each step
 * is stored before the next: the slot id once reserved, UPLOADED once the server has every byte; the ciphertext in
 * {@code attachments/.upload} is the same bytes on every attempt, so after a crash, a lost connection or a server
 * restart the upload continues from the server's offset. The message itself then goes through the outbox as any
 * other (sent once), with the pointers filled in; the sync copy for our other devices is queued when it is sent.
 */
public final class AttachmentUploads implements OutboxWorker.Preparation {

  private static final Logger log = LoggerFactory.getLogger(AttachmentUploads.class);

  private final AttachmentTable table;
  private final AttachmentTransfer transfer;
  private final OutgoingFiles files;
  private final AttachmentSettings settings;
  private final MediaEvents events;
  private final TransferHandles handles;
  private final OutboxTable outbox;
  private final ContactTable contacts;
  private final AccountService accounts;
  private final Supplier<Set<Integer>> syncTargets;
  private final Clock clock;
  private final long bytesPerSecond;

  AttachmentUploads(AttachmentTable table, AttachmentTransfer transfer, OutgoingFiles files,
      AttachmentSettings settings, MediaEvents events, TransferHandles handles, OutboxTable outbox,
      ContactTable contacts, AccountService accounts, Supplier<Set<Integer>> syncTargets, Clock clock,
      long bytesPerSecond) {
    this.table = table;
    this.transfer = transfer;
    this.files = files;
    this.settings = settings;
    this.events = events;
    this.handles = handles;
    this.outbox = outbox;
    this.contacts = contacts;
    this.accounts = accounts;
    this.syncTargets = syncTargets;
    this.clock = clock;
    this.bytesPerSecond = bytesPerSecond;
  }

  @Override
  public byte[] beforeSend(OutboxTable.Row row) throws NetworkException, OutboxWorker.Unsendable {
    if (row.messageId() == null || row.ephemeral()) {
      return row.content();
    }
    List<AttachmentTable.Row> attachments = table.byMessage(row.messageId());
    if (attachments.isEmpty()) {
      return row.content();
    }
    for (AttachmentTable.Row attachment : attachments) {
      switch (attachment.state()) {
        case UPLOADED:
          break;
        case CANCELLED:
          throw new OutboxWorker.Unsendable("The upload of " + attachment.fileName() + " was cancelled", null);
        case FAILED:
          throw new OutboxWorker.Unsendable("The upload of " + attachment.fileName() + " failed: "
              + attachment.error(), null);
        default:
          upload(attachment);
      }
    }
    return withPointers(row.content(), table.byMessage(row.messageId()));
  }

  private void upload(AttachmentTable.Row attachment) throws NetworkException, OutboxWorker.Unsendable {
    TransferHandles.Handle handle = handles.start(attachment.id());
    try {
      String serverId = attachment.serverId();
      if (serverId == null) {
        AttachmentSlot slot = transfer.reserve(attachment.ciphertextSize());
        settings.learnServerMaxSize(slot.getMaxSize());
        serverId = slot.getId();
        table.setServerId(attachment.id(), serverId);
      }
      table.setState(attachment.id(), AttachmentState.UPLOADING);
      events.changed(attachment.id());
      MediaEvents.Progress progress = events.progress(attachment, true);
      long started = System.nanoTime();
      long[] first = {-1};
      AttachmentUploadStatus status = transfer.upload(serverId, files.uploadFile(attachment.fileId()),
          (done, total) -> {
            progress.transferred(done, total);
            throttle(first, done, started);
          }, handle.cancel);
      if (!status.getComplete()) {
        table.setState(attachment.id(), AttachmentState.UPLOAD_PENDING);
        throw new NetworkException("The server stopped the upload of " + attachment.fileName() + " at "
            + status.getReceived() + " of " + status.getSize() + " bytes; it continues from there");
      }
      table.setState(attachment.id(), AttachmentState.UPLOADED);
      table.setTransferred(attachment.id(), attachment.size());
      events.changed(attachment.id());
    } catch (TransferCancelledException e) {
      if (handle.byPerson) {
        throw new OutboxWorker.Unsendable("The upload of " + attachment.fileName() + " was cancelled", e);
      }
      table.moveState(attachment.id(), AttachmentState.UPLOADING, AttachmentState.UPLOAD_PENDING);
      throw new NetworkException("The upload of " + attachment.fileName() + " stopped (the client closes)", e);
    } catch (NotFoundException e) {
      // The slot expired (a day without finishing): reserve a new one and upload from the start.
      log.info("upload slot of attachment {} is gone; reserving a new one", attachment.id());
      table.setServerId(attachment.id(), null);
      table.setState(attachment.id(), AttachmentState.UPLOAD_PENDING);
      throw new NetworkException(e.getMessage(), e);
    } catch (NetworkException e) {
      table.moveState(attachment.id(), AttachmentState.UPLOADING, AttachmentState.UPLOAD_PENDING);
      events.changed(attachment.id());
      throw e;
    } catch (InvalidInputException e) {
      fail(attachment, AttachmentTable.Failure.INVALID, e.getMessage());
      throw new OutboxWorker.Unsendable(e.getMessage(), e);
    } catch (ParleyException e) {
      fail(attachment, AttachmentTable.Failure.NETWORK, e.getMessage());
      throw new OutboxWorker.Unsendable(e.getMessage(), e);
    } catch (IOException e) {
      fail(attachment, AttachmentTable.Failure.LOCAL, "The local copy of " + attachment.fileName()
          + " cannot be read: " + e.getMessage());
      throw new OutboxWorker.Unsendable(e.getMessage(), e);
    } finally {
      handles.finished(attachment.id(), handle);
    }
  }

  private void fail(AttachmentTable.Row attachment, AttachmentTable.Failure failure, String error) {
    table.fail(attachment.id(), AttachmentState.FAILED, failure, error);
    events.changed(attachment.id());
  }

  /** Slows an upload to {@code bytesPerSecond} (fault injection for the crash tests); off when 0. */
  private void throttle(long[] first, long done, long started) {
    if (bytesPerSecond <= 0) {
      return;
    }
    if (first[0] < 0) {
      first[0] = done;
    }
    long dueNanos = (done - first[0]) * 1_000_000_000L / bytesPerSecond;
    long ahead = dueNanos - (System.nanoTime() - started);
    if (ahead > 0) {
      try {
        Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The queued content with a pointer per attachment, in the sender's order. */
  private static byte[] withPointers(byte[] queued, List<AttachmentTable.Row> attachments)
      throws OutboxWorker.Unsendable {
    Content content;
    try {
      content = Contents.decode(queued);
    } catch (InvalidProtocolBufferException e) {
      throw new OutboxWorker.Unsendable("A queued message cannot be read back", e);
    }
    DataMessage.Builder data = content.getData().toBuilder().clearAttachments();
    for (AttachmentTable.Row a : attachments) {
      data.addAttachments(pointer(a));
    }
    return Contents.encode(content.toBuilder().setData(data).build());
  }

  static AttachmentPointer pointer(AttachmentTable.Row a) {
    AttachmentPointer.Builder pointer = AttachmentPointer.newBuilder().setId(a.serverId())
        .setKey(ByteString.copyFrom(a.key())).setDigest(ByteString.copyFrom(a.digest())).setSize(a.size())
        .setContentType(a.contentType()).setFileName(a.fileName());
    if (a.width() != null && a.height() != null) {
      pointer.setWidth(a.width()).setHeight(a.height());
    }
    if (a.durationMillis() != null) {
      pointer.setDurationMs((int) Math.min(Integer.MAX_VALUE, a.durationMillis()));
    }
    if (a.thumbnail() != null) {
      pointer.setThumbnail(ByteString.copyFrom(a.thumbnail()));
    }
    if (a.caption() != null) {
      pointer.setCaption(a.caption());
    }
    return pointer.build();
  }

  @Override
  public void sent(OutboxTable.Row row, byte[] content) {
    if (row.messageId() == null || row.ephemeral()) {
      return;
    }
    Content sent;
    try {
      sent = Contents.decode(content);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the content just sent cannot be read back", e);
    }
    if (!sent.hasData() || sent.getData().getAttachmentsCount() == 0) {
      return;
    }
    for (AttachmentTable.Row a : table.byMessage(row.messageId())) {
      try {
        // The server has it all; from now on the pointers come from the row, the ciphertext is not needed.
        Files.deleteIfExists(files.uploadFile(a.fileId()));
      } catch (IOException e) {
        log.warn("cannot delete the upload copy of attachment {}: {}", a.id(), e.getMessage());
      }
    }
    if (syncTargets.get().isEmpty()) {
      return;
    }
    AccountTable.Row own = accounts.current().orElseThrow();
    String number = contacts.byAccount(row.destinationAccount()).map(ContactTable.Row::number).orElse("");
    long now = clock.millis();
    outbox.add(own.accountId(), Contents.encode(Content.newBuilder().setSenderNumber(own.number())
        .setSync(SyncMessage.newBuilder().setSent(SyncMessage.Sent.newBuilder().setDestinationNumber(number)
            .setDestinationAccount(row.destinationAccount()).setMessage(sent.getData()))).build()), row.sentAt(),
        null, now);
  }
}
