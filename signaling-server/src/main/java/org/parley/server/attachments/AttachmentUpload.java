package org.parley.server.attachments;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.parley.protocol.AttachmentUploadStatus;
import org.parley.server.storage.AttachmentSlots.Slot;
import org.parley.server.storage.AttachmentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code PUT /v1/attachments/{id}} being streamed into the store. The transport calls it from its network
 * thread; every store operation runs on the attachment I/O executor, one after the other in call order, so the
 * transport can keep receiving while the previous chunk is written. Exactly one of {@link #finish} and
 * {@link #abandon} ends it; both persist what arrived and let the next upload of this attachment proceed.
 */
public final class AttachmentUpload {

  private static final Logger log = LoggerFactory.getLogger(AttachmentUpload.class);

  private final AttachmentService service;
  private final Slot slot;
  private final AttachmentStore.Upload writer;
  private final UploadLeases.Lease lease;
  private final Executor io;
  private final UploadRange range;
  private final long stored;
  /** The last store operation queued; the next one runs after it. */
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  private boolean ended;

  AttachmentUpload(AttachmentService service, Slot slot, AttachmentStore.Upload writer, UploadLeases.Lease lease,
      Executor io, UploadRange range) {
    this.service = service;
    this.slot = slot;
    this.writer = writer;
    this.lease = lease;
    this.io = io;
    this.range = range;
    this.stored = writer.position();
  }

  public String id() {
    return slot.id();
  }

  public long size() {
    return slot.size();
  }

  /** Where this request's body starts in the attachment. */
  public long bodyStart() {
    return range.start();
  }

  /** Where this request's body must end at the latest (exclusive): its declared end, or the size. */
  public long bodyEnd() {
    return range.end();
  }

  /** The bytes the server had when this upload began: the first {@code stored - bodyStart} body bytes are skipped. */
  public long storedAtStart() {
    return stored;
  }

  /** Appends {@code bytes} (this takes ownership) after the bytes before; the future completes once written. */
  public CompletableFuture<Void> write(ByteBuf bytes) {
    int length = bytes.readableBytes();
    tail = tail.handleAsync((ok, earlier) -> {
      try {
        if (earlier != null) {
          throw new CompletionException(earlier);
        }
        writer.write(bytes.nioBuffer());
        service.uploaded(length);
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        bytes.release();
      }
    }, io);
    return tail;
  }

  /**
   * The body ended: completes the attachment when every byte is there, otherwise persists what arrived. Either way
   * the answer is the upload's status.
   */
  public CompletableFuture<AttachmentUploadStatus> finish() {
    ended = true;
    CompletableFuture<AttachmentUploadStatus> status = tail.handleAsync((ok, earlier) -> {
      try {
        if (earlier != null) {
          throw new CompletionException(earlier);
        }
        if (writer.position() == slot.size()) {
          writer.complete();
          return service.completed(slot);
        }
        writer.persist();
        long received = writer.position();
        writer.close();
        return service.status(slot, received);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, io);
    tail = status.handle((s, e) -> null);
    return status.whenComplete((s, error) -> closeQuietly());
  }

  /** The connection ended or the upload was refused half way: keeps what arrived, durably. */
  public CompletableFuture<Void> abandon() {
    if (ended) {
      return tail;
    }
    ended = true;
    tail = tail.handleAsync((ok, earlier) -> {
      try {
        writer.persist();
      } catch (IOException | RuntimeException e) {
        log.warn("could not persist the partial upload of an attachment: {}", e.toString());
      }
      closeQuietly();
      return null;
    }, io);
    return tail;
  }

  private void closeQuietly() {
    try {
      writer.close();
    } catch (IOException e) {
      log.debug("closing an attachment upload: {}", e.toString());
    } finally {
      lease.release();
    }
  }
}
