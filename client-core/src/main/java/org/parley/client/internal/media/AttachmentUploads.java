package org.parley.client.internal.media;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyException;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.attachments.AttachmentFiles;
import org.parley.client.internal.attachments.AttachmentTransfer;
import org.parley.client.internal.attachments.OutgoingFiles;
import org.parley.client.internal.attachments.TransferCancelledException;
import org.parley.client.internal.messaging.AttachmentSettings;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.net.Backoff;
import org.parley.client.internal.proto.AttachmentPointer;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.SyncMessage;
import org.parley.client.internal.proto.VoiceNote;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.AttachmentTable;
import org.parley.client.internal.store.ContactTable;
import org.parley.client.internal.store.OutboxTable;
import org.parley.protocol.AttachmentSlot;
import org.parley.protocol.AttachmentUploadStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads a message's attachments before the message is sent (docs/decisions/0121), on a pool of its own: the
 * outbox puts the message's row off ({@code NotReady}) while other rows go on, and the uploads make it due again
 * when they end. Each step
 * is stored before the next: the slot id once reserved, UPLOADED once the server has every byte; the ciphertext in
 * {@code attachments/.upload} is the same bytes on every attempt, so after a crash, a lost connection or a server
 * restart the upload continues from the server's offset. The message itself then goes through the outbox as any
 * other (sent once), with the pointers filled in; the sync copy for our other devices is queued when it is sent.
 */
public final class AttachmentUploads implements OutboxWorker.Preparation {

  private static final Logger log = LoggerFactory.getLogger(AttachmentUploads.class);
  /** Uploads of this many messages run at once. */
  static final int THREADS = 2;
  /** A waiting row is looked at again after this long even if no upload woke it (one lost wake-up costs no more). */
  private static final long SAFETY_NET_MILLIS = 60_000;

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
  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5));
  private final RandomGenerator random = RandomGenerator.getDefault();
  /** Messages whose uploads run now (guarded by itself), and their network failures in a row. */
  private final Set<Long> jobs = new HashSet<>();
  private final Map<Long, Integer> failures = new ConcurrentHashMap<>();
  private volatile OutboxWorker worker;
  private ExecutorService pool;

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
  public byte[] beforeSend(OutboxTable.Row row) throws OutboxWorker.NotReady, OutboxWorker.Unsendable {
    if (row.messageId() == null || row.ephemeral()) {
      return row.content();
    }
    List<AttachmentTable.Row> attachments = table.byMessage(row.messageId());
    if (attachments.isEmpty()) {
      return row.content();
    }
    boolean ready = true;
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
          ready = false;
      }
    }
    if (!ready) {
      startUploads(row);
      throw new OutboxWorker.NotReady("waiting for its attachments' uploads");
    }
    return withPointers(row.content(), attachments);
  }

  /** Lets the uploads wake the outbox when they end. */
  public void outboxWorker(OutboxWorker worker) {
    this.worker = worker;
  }

  /** Made on first use: a client that is only opened starts no thread. */
  private synchronized ExecutorService pool() {
    if (pool == null) {
      AtomicInteger threads = new AtomicInteger();
      ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "parley-upload-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      executor.allowCoreThreadTimeOut(true);
      pool = executor;
    }
    return pool;
  }

  /**
   * Puts {@code row} off and uploads its message's attachments in the background, unless that already runs; when it
   * ends the row is due again (at once, or after a backoff when the network failed). Putting off and ending are
   * serialised, so an upload that ends just now cannot have its "due" overwritten by the put-off.
   */
  private void startUploads(OutboxTable.Row row) {
    long messageId = row.messageId();
    synchronized (jobs) {
      outbox.postpone(row.id(), clock.millis() + SAFETY_NET_MILLIS, "waiting for its attachments' uploads");
      if (handles.closing() || !jobs.add(messageId)) {
        return; // closing: the uploads continue when the client is opened again
      }
    }
    pool().execute(() -> uploadAll(messageId));
  }

  private void uploadAll(long messageId) {
    long delay = 0;
    try {
      for (AttachmentTable.Row attachment : table.byMessage(messageId)) {
        if (attachment.state() == AttachmentState.UPLOAD_PENDING || attachment.state() == AttachmentState.UPLOADING) {
          upload(attachment);
        }
      }
      failures.remove(messageId);
    } catch (NetworkException e) {
      int failed = failures.merge(messageId, 1, Integer::sum);
      delay = backoff.delay(failed - 1, random).toMillis();
      log.debug("uploads of message {} stopped ({}); again in {} ms", messageId, e.getMessage(), delay);
    } catch (OutboxWorker.Unsendable e) {
      log.info("uploads of message {} ended: {}", messageId, e.getMessage());
    } catch (RuntimeException e) {
      int failed = failures.merge(messageId, 1, Integer::sum);
      delay = backoff.delay(failed - 1, random).toMillis();
      log.warn("uploads of message {} failed locally; again in {} ms", messageId, delay, e);
    } finally {
      synchronized (jobs) {
        jobs.remove(messageId);
        if (!handles.closing()) {
          outbox.dueAt(messageId, clock.millis() + delay);
        }
      }
    }
    OutboxWorker current = worker;
    if (current != null && !handles.closing()) {
      current.wake(false);
    }
  }

  /** Stops the upload pool; running uploads were cancelled by {@link TransferHandles#closeAll}. */
  synchronized void close() {
    if (pool != null) {
      pool.shutdown();
      try {
        pool.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  MediaEvents events() {
    return events;
  }

  TransferHandles handles() {
    return handles;
  }

  /** Uploads one attachment now, on the caller's thread (group messages and pictures use it: {@link GroupMedia}). */
  void upload(AttachmentTable.Row attachment) throws NetworkException, OutboxWorker.Unsendable {
    TransferHandles.Handle handle = handles.start(attachment.id());
    try {
      AttachmentFiles.Ciphertext source = files.uploadSource(attachment.fileId(), attachment.ciphertextSize());
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
      AttachmentUploadStatus status = transfer.upload(serverId, source.file(), source.length(),
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

  /**
   * Uploads while files are sealed (ADR 0122, fourth step). The slot is reserved on the upload's own thread, so a
   * send without network is not held up; the upload ends when the file is sealed ({@link OutgoingFiles.EarlyUpload#sealed}
   * stops it where it is), and the attachment's row, committed after that, names the slot: from then on the outbox's
   * {@link #upload} continues from the server's offset as after any interruption, and the crash cases are its own.
   * A kill before the row is committed leaves only a slot that no row names; the server drops it after its upload
   * time-out.
   */
  OutgoingFiles.EarlyUploads earlyUploads() {
    return new OutgoingFiles.EarlyUploads() {
      @Override
      public Optional<OutgoingFiles.EarlyUpload> start(FileChannel sealing, long ciphertextLength) {
        if (handles.closing()) {
          closeQuietly(sealing);
          return Optional.empty();
        }
        EarlyUpload upload = new EarlyUpload(sealing, ciphertextLength);
        Thread thread = new Thread(upload::run, "parley-upload-while-sealing");
        thread.setDaemon(true);
        upload.thread = thread;
        thread.start();
        return Optional.of(upload);
      }

      @Override
      public void giveUp(String serverId) {
        AttachmentUploads.this.giveUp(serverId);
      }
    };
  }

  /** In the background: a send that fails is not held up by the network. */
  private void giveUp(String serverId) {
    Thread thread = new Thread(() -> {
      try {
        transfer.delete(serverId);
      } catch (ParleyException | RuntimeException e) {
        log.debug("cannot give up upload slot {} ({}); the server drops it after its time-out", serverId,
            e.getMessage());
      }
    }, "parley-give-up-slot");
    thread.setDaemon(true);
    thread.start();
  }

  /** One upload while sealing: reserve, then follow the file until it is sealed or abandoned. */
  private final class EarlyUpload implements OutgoingFiles.EarlyUpload {
    /** How long {@link #sealed} waits for the upload to let go of the file before closing it under it. */
    private static final long STOP_WAIT_MILLIS = 2_000;
    private final FileChannel sealing;
    private final long length;
    private final AttachmentTransfer.Cancel cancel = new AttachmentTransfer.Cancel();
    private Thread thread;
    /** Guarded by this: the slot once reserved, and whether the sealer has stopped following. */
    private String serverId;
    private boolean stopped;

    EarlyUpload(FileChannel sealing, long length) {
      this.sealing = sealing;
      this.length = length;
    }

    void run() {
      String id;
      try {
        AttachmentSlot slot = transfer.reserve(length);
        settings.learnServerMaxSize(slot.getMaxSize());
        id = slot.getId();
      } catch (ParleyException | RuntimeException e) {
        log.debug("no upload while sealing ({}); the outbox uploads after the send", e.getMessage());
        closeQuietly(sealing);
        return;
      }
      synchronized (this) {
        if (stopped) {
          closeQuietly(sealing);
          giveUp(id); // sealed or abandoned before the slot came: no row will name it
          return;
        }
        serverId = id;
      }
      long started = System.nanoTime();
      long[] first = {-1};
      try {
        transfer.uploadGrowing(id, sealing, length, (done, total) -> throttle(first, done, started), cancel);
      } catch (TransferCancelledException e) {
        // sealed (the outbox continues from the server's offset) or abandoned
      } catch (ParleyException | RuntimeException e) {
        log.debug("upload while sealing stopped ({}); the outbox continues it", e.getMessage());
      }
    }

    @Override
    public Optional<String> sealed() {
      String id;
      synchronized (this) {
        stopped = true;
        id = serverId;
      }
      if (id != null) {
        stop(); // else the reservation is still under way: its thread gives the slot up and closes the reader
      }
      return Optional.ofNullable(id);
    }

    @Override
    public void abandon() {
      Optional<String> id = sealed();
      id.ifPresent(AttachmentUploads.this::giveUp);
    }

    private void stop() {
      cancel.cancel();
      try {
        thread.join(STOP_WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      closeQuietly(sealing);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing a sealed file's reader: {}", e.getMessage());
    }
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
        .setContentType(a.contentType()).setFileName(a.fileName()).setCipherFormat(a.cipherFormat());
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
    if (a.voiceNote()) {
      pointer.setVoiceNote(VoiceNote.newBuilder()
          .setDurationMs((int) Math.min(Integer.MAX_VALUE, a.durationMillis() == null ? 0 : a.durationMillis()))
          .setWaveform(ByteString.copyFrom(a.waveform())));
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
