package org.parley.client.internal.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.client.api.CorruptAttachmentException;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyException;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.internal.attachments.AttachmentCipher;
import org.parley.client.internal.attachments.AttachmentFiles;
import org.parley.client.internal.attachments.AttachmentFormat;
import org.parley.client.internal.attachments.AttachmentKey;
import org.parley.client.internal.attachments.AttachmentTransfer;
import org.parley.client.internal.attachments.TransferCancelledException;
import org.parley.client.internal.messaging.AttachmentSettings;
import org.parley.client.internal.messaging.AttachmentViews;
import org.parley.client.internal.store.AttachmentTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads received attachments on a small pool ({@link #THREADS} at once, the rest queued): into
 * {@code attachments/.download/<fileId>.part}, continuing with {@code Range} from what the partial file holds (also
 * after a restart), verified (digest, MAC) as the bytes arrive, and only then moved into the local store as it is
 * (the ciphertext with its key wrapped in a trailer, ADR 0122). A tampered or
 * truncated download stores nothing and fails with {@link CorruptAttachmentException}; one the server no longer has
 * is EXPIRED. A lost connection is tried again a few times with a growing pause, then FAILED (retry continues from
 * the partial file).
 */
public final class AttachmentDownloads implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AttachmentDownloads.class);
  static final int THREADS = 2;
  private static final int ATTEMPTS = 4;
  private static final String NO_LONGER_AVAILABLE = "This attachment is no longer available on the server";

  private final AttachmentTable table;
  private final AttachmentTransfer transfer;
  private final AttachmentFiles files;
  private final Path partials;
  private final AttachmentSettings settings;
  private final MediaEvents events;
  private final TransferHandles handles;
  private final Map<Long, CompletableFuture<Attachment>> running = new ConcurrentHashMap<>();
  private ExecutorService pool;

  AttachmentDownloads(AttachmentTable table, AttachmentTransfer transfer, AttachmentFiles files, Path partials,
      AttachmentSettings settings, MediaEvents events, TransferHandles handles) {
    this.table = table;
    this.transfer = transfer;
    this.files = files;
    this.partials = partials;
    this.settings = settings;
    this.events = events;
    this.handles = handles;
  }

  /** Made on first use: a client that is only opened starts no thread. */
  private synchronized ExecutorService pool() {
    if (pool == null) {
      AtomicInteger threads = new AtomicInteger();
      ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "parley-download-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      executor.allowCoreThreadTimeOut(true);
      pool = executor;
    }
    return pool;
  }

  /**
   * New attachments were stored with a message: pictures and voice notes (small, and played where they arrive) up to
   * the auto-download limit start at once.
   */
  public void stored(List<Long> attachmentIds) {
    long limit = settings.autoDownloadLimit();
    for (long id : attachmentIds) {
      table.byId(id).filter(row -> row.state() == AttachmentState.NOT_DOWNLOADED)
          .filter(row -> (row.contentType().startsWith("image/") || row.voiceNote()) && row.size() <= limit)
          .ifPresent(row -> start(row.id()));
    }
  }

  /** Downloads that were running when the client stopped continue (from their partial files). */
  void resumeInterrupted() {
    for (AttachmentTable.Row row : table.inState(AttachmentState.DOWNLOADING)) {
      if (!running.containsKey(row.id())) {
        table.setState(row.id(), AttachmentState.NOT_DOWNLOADED);
        start(row.id());
      }
    }
  }

  /**
   * Starts downloading (or joins the download running); the future ends with the stored attachment, or with the
   * exception saying why not.
   */
  CompletableFuture<Attachment> start(long attachmentId) {
    // Claimed first, then started outside the map: listeners told below may call back into start().
    CompletableFuture<Attachment> done = new CompletableFuture<>();
    CompletableFuture<Attachment> existing = running.putIfAbsent(attachmentId, done);
    if (existing != null) {
      return existing;
    }
    AttachmentTable.Row row = table.byId(attachmentId).orElse(null);
    if (row == null || row.state() == AttachmentState.EXPIRED || row.state().isLocal() || row.serverId() == null
        || row.key() == null) {
      running.remove(attachmentId, done);
      done.complete(null); // nothing to fetch: the caller looks at the attachment's state
      return done;
    }
    table.setState(attachmentId, AttachmentState.DOWNLOADING);
    events.changed(attachmentId);
    TransferHandles.Handle handle = handles.start(attachmentId);
    pool().execute(() -> {
      try {
        done.complete(download(row, handle));
      } catch (ParleyException | RuntimeException e) {
        done.completeExceptionally(e);
      } finally {
        handles.finished(attachmentId, handle);
        running.remove(attachmentId, done);
      }
    });
    return done;
  }

  private Attachment download(AttachmentTable.Row row, TransferHandles.Handle handle) throws ParleyException {
    Path partial = partials.resolve(row.fileId() + ".part");
    try {
      Files.createDirectories(partials);
      MediaEvents.Progress progress = events.progress(row, false);
      AttachmentKey key = AttachmentKey.of(row.key());
      // Digest and MAC are computed as the bytes arrive, so the download is stored without being read again.
      AttachmentCipher.Verifier verifier = AttachmentCipher.Verifier.of(AttachmentFormat.ofWire(row.cipherFormat()),
          key, row.ciphertextSize(), row.size());
      for (int attempt = 1; ; attempt++) {
        try {
          transfer.download(row.serverId(), row.ciphertextSize(), partial, progress::transferred, handle.cancel,
              verifier);
          break;
        } catch (NetworkException e) {
          if (attempt >= ATTEMPTS || handle.cancel.requested()) {
            throw e;
          }
          log.debug("download of attachment {} broke off ({}); attempt {}", row.id(), e.getMessage(), attempt + 1);
          pause(250L << attempt, handle);
        }
      }
      files.storeDownloaded(row.fileId(), key, row.digest(), row.size(), partial, verifier);
      Files.deleteIfExists(partial);
      table.setState(row.id(), AttachmentState.DOWNLOADED);
      table.setTransferred(row.id(), row.size());
      events.changed(row.id());
      return AttachmentViews.of(table.byId(row.id()).orElseThrow());
    } catch (CorruptAttachmentException e) {
      deleteQuietly(partial);
      String error = "The download of " + row.fileName() + " is damaged or was tampered with; nothing was saved ("
          + e.getMessage() + ")";
      fail(row, AttachmentState.FAILED, AttachmentTable.Failure.CORRUPT, error);
      throw new CorruptAttachmentException(error, e);
    } catch (NotFoundException e) {
      deleteQuietly(partial);
      fail(row, AttachmentState.EXPIRED, AttachmentTable.Failure.NETWORK, NO_LONGER_AVAILABLE);
      throw new NotFoundException(NO_LONGER_AVAILABLE + ": " + row.fileName(), e);
    } catch (TransferCancelledException e) {
      // The partial file stays: a retry, or the next start, continues from it.
      table.setState(row.id(), handle.byPerson ? AttachmentState.CANCELLED : AttachmentState.DOWNLOADING);
      events.changed(row.id());
      throw e;
    } catch (InvalidInputException e) {
      fail(row, AttachmentState.FAILED, AttachmentTable.Failure.INVALID, e.getMessage());
      throw e;
    } catch (ParleyException e) {
      fail(row, AttachmentState.FAILED, AttachmentTable.Failure.NETWORK, e.getMessage());
      throw e;
    } catch (IOException e) {
      fail(row, AttachmentState.FAILED, AttachmentTable.Failure.LOCAL, "Cannot store " + row.fileName() + ": "
          + e.getMessage());
      throw new ParleyException("Cannot store attachment " + row.id() + ": " + e.getMessage(), e);
    }
  }

  private void fail(AttachmentTable.Row row, AttachmentState state, AttachmentTable.Failure failure, String error) {
    table.fail(row.id(), state, failure, error);
    events.changed(row.id());
  }

  private static void pause(long millis, TransferHandles.Handle handle) throws TransferCancelledException {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      if (handle.cancel.requested()) {
        throw new TransferCancelledException("The download was cancelled");
      }
      try {
        Thread.sleep(Math.min(50, millis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransferCancelledException("The download was interrupted");
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", file, e.getMessage());
    }
  }

  /** The partial download of {@code fileId}, deleted with its attachment. */
  Path partialOf(String fileId) {
    return partials.resolve(fileId + ".part");
  }

  /** Stops the pool; running downloads were cancelled by {@link TransferHandles#closeAll} and resume next time. */
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
