package org.parley.client.internal.media;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.ParleyException;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.internal.attachments.OutgoingFiles;
import org.parley.client.internal.messaging.AfterCommit;
import org.parley.client.internal.messaging.AttachmentSettings;
import org.parley.client.internal.messaging.AttachmentViews;
import org.parley.client.internal.messaging.IncomingAttachments;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.net.Backoff;
import org.parley.client.internal.proto.AttachmentPointer;
import org.parley.client.internal.store.AttachmentTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attachments in groups (ADR 0140, "Attachments and pictures"): a group message's files are uploaded once, before
 * the message enters the group outbox (so that outbox never waits on an upload), and its pointers then travel
 * inside the one sender-key message; a group's picture is uploaded while its change is made and its pointer goes
 * into the group state. Received pointers are stored with their group message or as the group's picture.
 */
public final class GroupMedia implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupMedia.class);

  /** What a pointer takes besides its name, type, thumbnail and caption (id, key, digest, sizes, tags), at most. */
  private static final int POINTER_OVERHEAD = 200;
  /** Pointers and caption of one group message, well inside the server's 64 KiB content limit after encryption. */
  static final long MAX_POINTER_BYTES = 60_000;

  private final AttachmentTable table;
  private final OutgoingFiles outgoing;
  private final AttachmentSettings settings;
  private final AttachmentUploads uploads;
  private final AttachmentDownloads downloads;
  private final IncomingAttachments incoming;
  private final Clock clock;
  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5));
  private final RandomGenerator random = RandomGenerator.getDefault();
  /** Group messages whose uploads run now. */
  private final Set<Long> running = ConcurrentHashMap.newKeySet();
  private ExecutorService pool;

  public GroupMedia(AttachmentTable table, OutgoingFiles outgoing, AttachmentSettings settings,
      AttachmentUploads uploads, AttachmentDownloads downloads, IncomingAttachments incoming, Clock clock) {
    this.table = table;
    this.outgoing = outgoing;
    this.settings = settings;
    this.uploads = uploads;
    this.downloads = downloads;
    this.incoming = incoming;
    this.clock = clock;
  }

  /** Files checked, stripped and encrypted into the data directory, not yet stored with a message. */
  public final class Prepared {
    private final List<OutgoingFiles.Prepared> files;

    private Prepared(List<OutgoingFiles.Prepared> files) {
      this.files = files;
    }

    /** The rows to store, all waiting for their upload. */
    public List<AttachmentTable.New> rows() {
      return files.stream().map(p -> new AttachmentTable.New(p.fileId(), null, p.key().bytes(), p.digest(),
          p.size(), p.ciphertextSize(), p.contentType(), p.fileName(), p.thumbnail().map(t -> t.width()).orElse(null),
          p.thumbnail().map(t -> t.height()).orElse(null), null, p.thumbnail().map(t -> t.jpeg()).orElse(null),
          p.caption().orElse(null), AttachmentState.UPLOAD_PENDING, null, null, p.format().wire())).toList();
    }

    /** Stores the rows as the attachments of our group message (inside the caller's transaction). */
    public void store(String groupId, long groupMessageId, long now) {
      table.insert(AttachmentTable.Owner.GROUP_MESSAGE, groupId, groupMessageId, true, rows(), now);
    }

    /** Deletes the prepared files (the message was not stored after all). */
    public void discard() {
      for (OutgoingFiles.Prepared p : files) {
        try {
          outgoing.discard(p.fileId());
        } catch (IOException | InvalidInputException ignored) {
          // a file no row names is removed when the client next connects
        }
      }
    }
  }

  /**
   * Prepares files as a 1:1 send does (pictures lose EXIF/GPS and get a thumbnail) and checks that their pointers
   * and the caption fit one message; nothing is left on failure.
   */
  public Prepared prepare(String caption, List<OutgoingAttachment> attachments) throws ParleyException {
    Prepared prepared = prepare(attachments);
    long bytes = caption.length() * 3L;
    for (OutgoingFiles.Prepared p : prepared.files) {
      bytes += POINTER_OVERHEAD + p.fileName().length() * 3L + p.contentType().length()
          + p.thumbnail().map(t -> t.jpeg().length).orElse(0) + p.caption().map(c -> c.length() * 3L).orElse(0L);
    }
    if (bytes > MAX_POINTER_BYTES) {
      prepared.discard();
      throw new InvalidInputException("The attachments' captions, names and thumbnails take up to " + bytes
          + " bytes; a group message holds at most " + MAX_POINTER_BYTES + ": send fewer attachments at once");
    }
    return prepared;
  }

  private Prepared prepare(List<OutgoingAttachment> attachments) throws ParleyException {
    List<OutgoingFiles.Prepared> done = new ArrayList<>();
    Prepared prepared = new Prepared(done);
    try {
      for (OutgoingAttachment attachment : attachments) {
        if (attachment == null || attachment.file() == null) {
          throw new InvalidInputException("An attachment needs a file");
        }
        done.add(outgoing.prepare(attachment, settings.serverMaxSize()));
      }
      return prepared;
    } catch (IOException e) {
      prepared.discard();
      throw new InvalidInputException("Cannot read an attachment: " + e.getMessage(), e);
    } catch (ParleyException | RuntimeException e) {
      prepared.discard();
      throw e;
    }
  }

  /** A group message's attachments as the API shows them, in order. */
  public List<Attachment> ofMessage(long groupMessageId) {
    return table.byMessage(AttachmentTable.Owner.GROUP_MESSAGE, groupMessageId).stream().map(AttachmentViews::of)
        .toList();
  }

  /** Failed or cancelled uploads of our group message wait for their upload again; returns whether any did. */
  public boolean resetFailedUploads(long groupMessageId) {
    boolean any = false;
    for (AttachmentTable.Row row : table.byMessage(AttachmentTable.Owner.GROUP_MESSAGE, groupMessageId)) {
      if (row.outgoing() && (row.state() == AttachmentState.FAILED || row.state() == AttachmentState.CANCELLED)) {
        table.setState(row.id(), AttachmentState.UPLOAD_PENDING);
        uploads.events().changed(row.id());
        any = true;
      }
    }
    return any;
  }

  /** The attachments of many group messages, by message id. */
  public Map<Long, List<AttachmentTable.Row>> ofMessages(Collection<Long> groupMessageIds) {
    return table.byMessages(AttachmentTable.Owner.GROUP_MESSAGE, groupMessageIds);
  }

  /**
   * Uploads the attachments of our group message {@code groupMessageId} in the background, retrying after network
   * failures (with backoff) until they are all on the server; then hands their pointers to {@code queue}. A refused
   * or cancelled upload ends in {@code failed} instead. A message whose uploads run already is left alone.
   */
  public void uploadThen(long groupMessageId, Consumer<List<AttachmentPointer>> queue, LongConsumer failed) {
    if (!running.add(groupMessageId)) {
      return;
    }
    pool().execute(() -> {
      try {
        int failures = 0;
        while (!uploads.handles().closing()) {
          try {
            for (AttachmentTable.Row row : table.byMessage(AttachmentTable.Owner.GROUP_MESSAGE, groupMessageId)) {
              if (row.state() == AttachmentState.FAILED || row.state() == AttachmentState.CANCELLED) {
                throw new OutboxWorker.Unsendable("The upload of " + row.fileName() + " "
                    + (row.state() == AttachmentState.CANCELLED ? "was cancelled" : "failed: " + row.error()), null);
              }
              if (row.state() != AttachmentState.UPLOADED) {
                uploads.upload(row);
              }
            }
            List<AttachmentPointer> pointers = table.byMessage(AttachmentTable.Owner.GROUP_MESSAGE, groupMessageId)
                .stream().map(AttachmentUploads::pointer).toList();
            queue.accept(pointers);
            return;
          } catch (NetworkException e) {
            long delay = backoff.delay(failures++, random).toMillis();
            log.debug("uploads of group message {} stopped ({}); again in {} ms", groupMessageId, e.getMessage(),
                delay);
            // In short steps, so closing does not wait for a long backoff (nor interrupts a thread inside H2).
            long until = System.nanoTime() + delay * 1_000_000;
            while (System.nanoTime() < until && !uploads.handles().closing()) {
              Thread.sleep(Math.min(100, delay));
            }
          }
        }
      } catch (OutboxWorker.Unsendable e) {
        log.info("group message {} is not sent: {}", groupMessageId, e.getMessage());
        failed.accept(groupMessageId);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        log.warn("uploads of group message {} failed", groupMessageId, e);
        failed.accept(groupMessageId);
      } finally {
        running.remove(groupMessageId);
      }
    });
  }

  /**
   * Uploads a new picture for group {@code groupId} now (on the caller's thread) and returns its pointer: the file
   * must be a picture of at most {@code maxBytes}; its metadata (EXIF, GPS) is stripped as for any picture sent.
   * The local row stays, so this device shows the picture without downloading it.
   */
  public AttachmentPointer uploadPicture(String groupId, Path file, long maxBytes) throws ParleyException {
    if (file == null) {
      throw new InvalidInputException("A group picture needs a file");
    }
    Prepared prepared = prepare(List.of(OutgoingAttachment.of(file)));
    OutgoingFiles.Prepared p = prepared.files.get(0);
    if (!p.contentType().startsWith("image/")) {
      prepared.discard();
      throw new InvalidInputException(file.getFileName() + " is not a picture (" + p.contentType() + ")");
    }
    if (p.size() > maxBytes) {
      prepared.discard();
      throw new InvalidInputException("A group picture is at most " + maxBytes / (1 << 20) + " MiB; "
          + file.getFileName() + " has " + p.size() + " bytes");
    }
    long id = table.insert(AttachmentTable.Owner.GROUP_PICTURE, groupId, 0, true, prepared.rows(), clock.millis())
        .get(0);
    try {
      uploads.upload(table.byId(id).orElseThrow());
    } catch (OutboxWorker.Unsendable e) {
      throw e.getCause() instanceof ParleyException parley ? parley
          : new ParleyException("The group picture was not uploaded: " + e.getMessage(), e);
    }
    return AttachmentUploads.pointer(table.byId(id).orElseThrow());
  }

  /**
   * A group state carrying {@code picture} was applied (inside the caller's transaction): unless this device has
   * that picture already, its pointer is stored as the group's picture and downloaded after the commit, whatever
   * the auto-download limit (its size was checked against the group picture limit).
   */
  public void pictureArrived(String groupId, AttachmentPointer picture, AfterCommit afterCommit) {
    if (table.groupPicture(groupId, picture.getDigest().toByteArray()).isPresent()) {
      return;
    }
    List<Long> ids = incoming.insert(AttachmentTable.Owner.GROUP_PICTURE, groupId, 0, false, List.of(picture));
    afterCommit.then(() -> ids.forEach(downloads::start));
  }

  /** The picture stored for the pointer in a group's state. */
  public Optional<Attachment> picture(String groupId, AttachmentPointer picture) {
    return table.groupPicture(groupId, picture.getDigest().toByteArray()).map(AttachmentViews::of);
  }

  /** Stores the pointers of a received (or synced) group message and starts auto-downloads after the commit. */
  public void messageArrived(String groupId, long groupMessageId, boolean outgoing, List<AttachmentPointer> pointers,
      AfterCommit afterCommit) {
    incoming.store(AttachmentTable.Owner.GROUP_MESSAGE, groupId, groupMessageId, outgoing, pointers, afterCommit);
  }

  private synchronized ExecutorService pool() {
    if (pool == null) {
      pool = Executors.newFixedThreadPool(AttachmentUploads.THREADS, r -> {
        Thread t = new Thread(r, "parley-group-upload");
        t.setDaemon(true);
        return t;
      });
    }
    return pool;
  }

  /** Stops the pool after {@code MediaService.close} ended the transfers (shutdown: never interrupt H2). */
  @Override
  public synchronized void close() {
    if (pool != null) {
      pool.shutdown();
      try {
        pool.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
