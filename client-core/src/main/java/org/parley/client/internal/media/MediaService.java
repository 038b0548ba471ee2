package org.parley.client.internal.media;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.parley.client.api.CorruptAttachmentException;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyException;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.api.voice.UnreadableAudioException;
import org.parley.client.api.voice.VoiceNoteAudio;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.account.PhoneNumbers;
import org.parley.client.internal.attachments.AttachmentFiles;
import org.parley.client.internal.attachments.AttachmentTransfer;
import org.parley.client.internal.attachments.OutgoingFiles;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.events.Events;
import org.parley.client.internal.messaging.AttachmentSettings;
import org.parley.client.internal.messaging.AttachmentViews;
import org.parley.client.internal.messaging.Conversations;
import org.parley.client.internal.messaging.MessageEvents;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.AttachmentTable;
import org.parley.client.internal.store.ContactTable;
import org.parley.client.internal.store.ConversationTable;
import org.parley.client.internal.store.MessageTable;
import org.parley.client.internal.store.OutboxTable;
import org.parley.client.internal.voice.PcmAudio;
import org.parley.client.internal.voice.VoiceNoteDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attachment operations of the API: look up, download and wait, cancel and retry, open and save, the
 * auto-download limit, and deleting messages and conversations with their files.
 */
public final class MediaService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MediaService.class);
  /** A file that no row names is removed only when this old: a send may be writing it before its row commits. */
  private static final Duration ORPHAN_AGE = Duration.ofHours(1);
  /** Voice notes are decoded from memory: 30 minutes at Parley's 20 kbps is ~4.5 MB, a stereo opusenc file more. */
  static final long MAX_VOICE_NOTE_BYTES = 32L << 20;
  /** Opus's own rate, which every Java Sound mixer plays. */
  static final int PLAYBACK_RATE = 48_000;

  private final Database db;
  private final AccountService accounts;
  private final AttachmentTable table;
  private final MessageTable messages;
  private final ConversationTable conversationTable;
  private final OutboxTable outbox;
  private final Conversations conversations;
  private final MessageEvents messageEvents;
  private final AttachmentFiles files;
  private final OutgoingFiles outgoing;
  private final AttachmentDownloads downloads;
  private final AttachmentSettings settings;
  private final TransferHandles handles;
  private final MediaEvents mediaEvents;
  private final Events events;
  private final Path directory;
  private final Clock clock;
  private final AttachmentUploads uploads;
  private OutboxWorker outboxWorker;
  /** Retries the uploads of one of our group messages (the group service, set by the composition root). */
  private volatile LongConsumer groupUploadRetry = id -> { };

  /** Everything the attachment services share, built once by the composition root. */
  public record Parts(AttachmentUploads uploads, AttachmentDownloads downloads, MediaService service) {}

  private MediaService(Database db, AccountService accounts, AttachmentTable table, MessageTable messages,
      ConversationTable conversationTable, OutboxTable outbox, Conversations conversations,
      MessageEvents messageEvents, AttachmentFiles files, OutgoingFiles outgoing, AttachmentUploads uploads,
      AttachmentDownloads downloads, AttachmentSettings settings, TransferHandles handles, MediaEvents mediaEvents,
      Events events, Path directory, Clock clock) {
    this.db = db;
    this.uploads = uploads;
    this.accounts = accounts;
    this.table = table;
    this.messages = messages;
    this.conversationTable = conversationTable;
    this.outbox = outbox;
    this.conversations = conversations;
    this.messageEvents = messageEvents;
    this.files = files;
    this.outgoing = outgoing;
    this.downloads = downloads;
    this.settings = settings;
    this.handles = handles;
    this.mediaEvents = mediaEvents;
    this.events = events;
    this.directory = directory;
    this.clock = clock;
  }

  /**
   * Builds the uploads (the outbox's preparation), the downloads and this service over one set of stores.
   *
   * @param directory {@code DATA_DIR/attachments}
   */
  public static Parts build(Database db, AccountService accounts, AttachmentTable table, MessageTable messages,
      ConversationTable conversationTable, OutboxTable outbox, Conversations conversations,
      MessageEvents messageEvents, AttachmentFiles files, OutgoingFiles outgoing,
      AttachmentTransfer transfer, AttachmentSettings settings,
      ContactTable contacts, Supplier<Set<Integer>> syncTargets,
      Events events, Path directory, Clock clock, long uploadBytesPerSecond) {
    TransferHandles handles = new TransferHandles();
    MediaEvents mediaEvents = new MediaEvents(table, conversations, events);
    AttachmentUploads uploads = new AttachmentUploads(table, transfer, outgoing, settings, mediaEvents, handles,
        outbox, contacts, accounts, syncTargets, clock, uploadBytesPerSecond);
    outgoing.earlyUploads(uploads.earlyUploads());
    AttachmentDownloads downloads = new AttachmentDownloads(table, transfer, files, directory.resolve(".download"),
        settings, mediaEvents, handles);
    MediaService service = new MediaService(db, accounts, table, messages, conversationTable, outbox, conversations,
        messageEvents, files, outgoing, uploads, downloads, settings, handles, mediaEvents, events, directory, clock);
    return new Parts(uploads, downloads, service);
  }

  /** Who retries a group message's uploads ({@code GroupService.retryUploads}). */
  public void groupUploadRetry(LongConsumer retry) {
    this.groupUploadRetry = retry;
  }

  /** The outbox worker, built after the uploads it calls (it is woken when an upload is retried). */
  public void outboxWorker(OutboxWorker worker) {
    this.outboxWorker = worker;
    uploads.outboxWorker(worker);
  }

  public Attachment attachment(long attachmentId) throws ParleyException {
    accounts.registered();
    return AttachmentViews.of(row(attachmentId));
  }

  private AttachmentTable.Row row(long attachmentId) throws NotFoundException {
    return table.byId(attachmentId).orElseThrow(() -> new NotFoundException("No attachment " + attachmentId));
  }

  public void download(long attachmentId) throws ParleyException {
    accounts.registered();
    AttachmentTable.Row row = row(attachmentId);
    if (row.state() == AttachmentState.EXPIRED) {
      throw new NotFoundException(row.error() == null ? "This attachment is no longer available" : row.error());
    }
    downloads.start(attachmentId);
  }

  public Attachment awaitDownload(long attachmentId, Duration timeout) throws ParleyException, InterruptedException {
    accounts.registered();
    AttachmentTable.Row row = row(attachmentId);
    if (row.state() == AttachmentState.EXPIRED) {
      throw new NotFoundException(row.error() == null ? "This attachment is no longer available" : row.error());
    }
    if (row.state().isLocal()) {
      return AttachmentViews.of(row);
    }
    try {
      downloads.start(attachmentId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ParleyException parley) {
        throw parley;
      }
      throw new ParleyException("Downloading attachment " + attachmentId + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new NetworkException("Attachment " + attachmentId + " was not downloaded within " + timeout
          + "; it continues in the background");
    }
    return downloaded(row(attachmentId));
  }

  /** The attachment if its plaintext is here now, else the exception its state calls for. */
  private static Attachment downloaded(AttachmentTable.Row row) throws ParleyException {
    if (row.state().isLocal()) {
      return AttachmentViews.of(row);
    }
    String error = row.error() == null ? "Attachment " + row.id() + " is " + row.state() : row.error();
    if (row.state() == AttachmentState.EXPIRED) {
      throw new NotFoundException(error);
    }
    if (row.failure() == AttachmentTable.Failure.CORRUPT) {
      throw new CorruptAttachmentException(error);
    }
    if (row.failure() == AttachmentTable.Failure.INVALID) {
      throw new InvalidInputException(error);
    }
    throw new ParleyException(error);
  }

  /**
   * Stops an upload (its message is not sent: it fails, and {@link #retryTransfer} queues it again) or a download
   * (the partial file stays). An attachment that is not moving is left as it is.
   */
  public void cancelTransfer(long attachmentId) throws ParleyException {
    accounts.registered();
    AttachmentTable.Row row = row(attachmentId);
    if (row.owner() != AttachmentTable.Owner.MESSAGE
        && (row.state() == AttachmentState.UPLOAD_PENDING || row.state() == AttachmentState.UPLOADING)) {
      // A group message's upload: its job sees the cancel and fails the message (ADR 0140).
      table.moveState(row.id(), row.state(), AttachmentState.CANCELLED);
      handles.cancelByPerson(row.id());
      mediaEvents.changed(row.id());
    } else if (row.state() == AttachmentState.UPLOAD_PENDING || row.state() == AttachmentState.UPLOADING) {
      boolean failed = db.inTransaction(c -> {
        if (!table.moveState(row.id(), row.state(), AttachmentState.CANCELLED)) {
          return false;
        }
        outbox.deleteForMessages(List.of(row.messageId()));
        return messages.fail(row.messageId(), clock.millis());
      });
      handles.cancelByPerson(row.id());
      mediaEvents.changed(row.id());
      if (failed) {
        messageEvents.statusChanged(row.messageId());
      }
    } else if (row.state() == AttachmentState.DOWNLOADING) {
      if (!handles.cancelByPerson(row.id())) {
        table.moveState(row.id(), AttachmentState.DOWNLOADING, AttachmentState.CANCELLED);
        mediaEvents.changed(row.id());
      }
    }
  }

  /** Tries a failed or cancelled upload (its message is queued again) or download again. */
  public void retryTransfer(long attachmentId) throws ParleyException {
    AccountTable.Row own = accounts.registered();
    AttachmentTable.Row row = row(attachmentId);
    if (row.state() != AttachmentState.FAILED && row.state() != AttachmentState.CANCELLED) {
      if (row.state() == AttachmentState.NOT_DOWNLOADED) {
        downloads.start(attachmentId);
      }
      return;
    }
    if (!isUpload(row)) {
      if (row.serverId() == null || row.key() == null) {
        throw new InvalidInputException(row.error() == null ? "This attachment cannot be downloaded" : row.error());
      }
      downloads.start(attachmentId);
      return;
    }
    if (row.owner() == AttachmentTable.Owner.GROUP_MESSAGE) {
      groupUploadRetry.accept(row.messageId());
      return;
    }
    if (row.owner() == AttachmentTable.Owner.GROUP_PICTURE) {
      throw new InvalidInputException("A group picture that was not uploaded is not retried: set the picture again");
    }
    MessageTable.Row message = messages.byId(row.messageId())
        .orElseThrow(() -> new NotFoundException("The message of attachment " + attachmentId + " is gone"));
    String destination = conversationTable.byId(message.conversationId()).orElseThrow().contactAccountId();
    boolean requeued = db.inTransaction(c -> {
      for (AttachmentTable.Row a : table.byMessage(row.messageId())) {
        if (a.state() != AttachmentState.UPLOADED) {
          table.setState(a.id(), AttachmentState.UPLOAD_PENDING);
        }
      }
      boolean moved = messages.requeue(message.id(), clock.millis());
      if (!outbox.hasMessage(message.id())) {
        long now = clock.millis();
        outbox.add(destination, Conversations.outgoingContent(own.number(), message.body(), message.sentAt()),
            message.sentAt(), message.id(), now);
      }
      return moved;
    });
    for (AttachmentTable.Row a : table.byMessage(row.messageId())) {
      mediaEvents.changed(a.id());
    }
    if (requeued) {
      messageEvents.statusChanged(message.id());
    }
    if (outboxWorker != null) {
      outboxWorker.wake(false);
    }
  }

  /** An outgoing attachment whose plaintext is here (one of ours; a synced one is downloaded like a received one). */
  private boolean isUpload(AttachmentTable.Row row) throws InvalidInputException {
    return row.outgoing() && row.state() != AttachmentState.DOWNLOADED && files.contains(row.fileId());
  }

  /** The plaintext, decrypted as it is read (the whole file's MAC is checked before the first byte). */
  public InputStream openAttachment(long attachmentId) throws ParleyException {
    accounts.registered();
    AttachmentTable.Row row = local(attachmentId);
    try {
      PipedInputStream in = new PipedInputStream(64 * 1024);
      PipedOutputStream out = new PipedOutputStream(in);
      AtomicReference<Exception> failure = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        try (out) {
          files.copyTo(row.fileId(), out);
        } catch (Exception e) {
          failure.set(e);
        }
      }, "parley-open-attachment-" + attachmentId);
      writer.setDaemon(true);
      writer.start();
      return new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          return checked(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return checked(super.read(b, off, len));
        }

        private int checked(int result) throws IOException {
          if (result < 0 && failure.get() != null) {
            throw new IOException("Attachment " + attachmentId + " cannot be read: " + failure.get().getMessage(),
                failure.get());
          }
          return result;
        }
      };
    } catch (IOException e) {
      throw new ParleyException("Cannot open attachment " + attachmentId + ": " + e.getMessage(), e);
    }
  }

  private AttachmentTable.Row local(long attachmentId) throws ParleyException {
    AttachmentTable.Row row = row(attachmentId);
    if (!files.contains(row.fileId())) {
      throw new NotFoundException("Attachment " + attachmentId + " (" + row.fileName() + ") is not on this device"
          + (row.state() == AttachmentState.NOT_DOWNLOADED ? " yet: download it first" : ""));
    }
    return row;
  }

  public Path saveAttachment(long attachmentId, Path target) throws ParleyException {
    accounts.registered();
    AttachmentTable.Row row = local(attachmentId);
    if (target == null) {
      throw new InvalidInputException("Saving an attachment needs a directory");
    }
    try {
      return files.saveAs(row.fileId(), target, row.fileName(), "attachment-" + row.id());
    } catch (IOException e) {
      throw new ParleyException("Cannot save attachment " + attachmentId + " into " + target + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Decodes an Ogg Opus attachment stored here to 48 kHz PCM. The file is read into memory, so it must be at most
   * {@link #MAX_VOICE_NOTE_BYTES}; the decoder refuses more audio than a voice note holds before it decodes.
   */
  public VoiceNoteAudio decodeVoiceNote(long attachmentId) throws ParleyException {
    accounts.registered();
    AttachmentTable.Row row = local(attachmentId);
    if (row.size() > MAX_VOICE_NOTE_BYTES) {
      throw new UnreadableAudioException(row.fileName() + " is " + row.size() / 1_000_000 + " MB; a voice note"
          + " to play is at most " + MAX_VOICE_NOTE_BYTES / 1_000_000 + " MB");
    }
    ByteArrayOutputStream plaintext = new ByteArrayOutputStream((int) row.size());
    try {
      files.copyTo(row.fileId(), plaintext);
    } catch (IOException e) {
      throw new ParleyException("Cannot read attachment " + attachmentId + ": " + e.getMessage(), e);
    }
    PcmAudio pcm = VoiceNoteDecoder.decode(plaintext.toByteArray(), PLAYBACK_RATE);
    return new VoiceNoteAudio(pcm.sampleRate(), pcm.channels(), pcm.samples());
  }

  public void setAutoDownloadLimit(long bytes) throws ParleyException {
    accounts.registered();
    if (bytes < 0) {
      throw new InvalidInputException("The auto-download limit cannot be negative: " + bytes);
    }
    settings.setAutoDownloadLimit(bytes);
  }

  public void deleteMessage(long messageId) throws ParleyException {
    accounts.registered();
    String number = conversations.numberOf(messageId)
        .orElseThrow(() -> new NotFoundException("No message " + messageId));
    delete(number, List.of(messageId));
  }

  public void deleteConversation(String number) throws ParleyException {
    accounts.registered();
    PhoneNumbers.check(number);
    Optional<Map.Entry<Long, List<Long>>> conversation = conversations.conversationMessages(number);
    if (conversation.isEmpty()) {
      return;
    }
    delete(number, conversation.get().getValue());
    conversations.deleteConversation(conversation.get().getKey());
  }

  private void delete(String number, List<Long> messageIds) {
    for (AttachmentTable.Row row : table.byMessages(messageIds).values().stream().flatMap(List::stream).toList()) {
      handles.cancelByPerson(row.id());
    }
    List<AttachmentTable.Row> rows = conversations.delete(messageIds);
    for (AttachmentTable.Row row : rows) {
      deleteFiles(row.fileId());
    }
    for (long id : messageIds) {
      events.fire(l -> l.messageDeleted(number, id));
    }
  }

  private void deleteFiles(String fileId) {
    try {
      files.delete(fileId);
      Files.deleteIfExists(outgoing.uploadFile(fileId));
      Files.deleteIfExists(downloads.partialOf(fileId));
    } catch (IOException | InvalidInputException e) {
      log.warn("cannot delete the files of attachment {}: {}", fileId, e.getMessage());
    }
  }

  /** After connecting: interrupted downloads continue, and files a crash left without a row are removed. */
  public void connected() {
    downloads.resumeInterrupted();
    try {
      removeOrphans();
    } catch (IOException e) {
      log.warn("cannot look for orphaned attachment files: {}", e.getMessage());
    }
  }

  private void removeOrphans() throws IOException {
    Set<String> known = new HashSet<>(table.fileIds());
    long before = clock.millis() - ORPHAN_AGE.toMillis();
    for (Path dir : List.of(directory, directory.resolve(".upload"), directory.resolve(".download"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path file : entries) {
          String name = file.getFileName().toString();
          String fileId = name.endsWith(".part") ? name.substring(0, name.length() - 5) : name;
          if (!Files.isRegularFile(file) || name.startsWith(".") || known.contains(fileId)
              || Files.getLastModifiedTime(file).toMillis() > before) {
            continue;
          }
          log.info("removing attachment file {} that no message names", file);
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /** Stops running transfers (they continue when the client is opened again) and the download pool. */
  @Override
  public void close() {
    handles.closeAll();
    uploads.close();
    downloads.close();
  }
}
