package org.parley.server.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import org.parley.protocol.AttachmentSlot;
import org.parley.protocol.AttachmentUploadStatus;
import org.parley.protocol.Route;
import org.parley.server.api.ApiException;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.config.ServerConfig;
import org.parley.server.metrics.ServerMetrics;
import org.parley.server.ratelimit.RateLimiter;
import org.parley.server.storage.AttachmentSlots;
import org.parley.server.storage.AttachmentSlots.Slot;
import org.parley.server.storage.AttachmentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attachments: reserving a slot (size cap, rate limit, quota), streaming an upload into it, serving downloads of
 * complete ones, and deleting them after their time. Transport-neutral: the router and the Netty handlers call it.
 * Methods that touch storage block; callers run them on the attachment I/O executor or the workers.
 */
public final class AttachmentService {

  private static final Logger log = LoggerFactory.getLogger(AttachmentService.class);
  private static final int SWEEP_BATCH = 500;

  private final AttachmentSlots slots;
  private final AttachmentStore store;
  private final ServerConfig.Attachments limits;
  private final RateLimiter reservations;
  private final ServerMetrics metrics;
  private final Executor io;
  private final Clock clock;
  private final UploadLeases leases;
  private final Semaphore downloads;

  public AttachmentService(AttachmentSlots slots, AttachmentStore store, ServerConfig.Attachments limits,
      RateLimiter reservations, ServerMetrics metrics, Executor io, Clock clock) {
    this.slots = slots;
    this.store = store;
    this.limits = limits;
    this.reservations = reservations;
    this.metrics = metrics;
    this.io = io;
    this.clock = clock;
    this.leases = new UploadLeases(limits.maxConcurrentUploads());
    this.downloads = new Semaphore(limits.maxConcurrentDownloads());
  }

  /** The executor for everything that touches the store. */
  public Executor io() {
    return io;
  }

  /** {@code POST /v1/attachments}: a slot for {@code size} bytes, if the account may have one. */
  public AttachmentSlot reserve(AuthenticatedDevice device, long size) throws ApiException {
    if (size < 1) {
      throw ApiException.badRequest("invalid_size", "size must be the attachment's size in bytes (at least 1)");
    }
    if (size > limits.maxSize()) {
      throw new ApiException(413, "attachment_too_large",
          "An attachment of " + size + " bytes is over this server's limit of " + limits.maxSize() + " bytes");
    }
    reservations.check(device.accountId());
    if (!store.hasRoomFor(size)) {
      throw new ApiException(507, "storage_full", "The server has no room for more attachments now");
    }
    long now = clock.millis();
    Slot slot = new Slot(AttachmentIds.random(), device.accountId(), size, now, OptionalLong.empty(),
        now + limits.uploadTtl().toMillis());
    AttachmentSlots.Reservation result = slots.reserve(slot, new AttachmentSlots.Quota(
        limits.maxPendingPerAccount(), limits.maxPerAccount(), limits.quotaBytesPerAccount()), now);
    switch (result) {
      case RESERVED -> {
        String path = Route.UPLOAD_ATTACHMENT.path(slot.id());
        return AttachmentSlot.newBuilder()
            .setId(slot.id())
            .setUploadPath(path)
            .setDownloadPath(Route.DOWNLOAD_ATTACHMENT.path(slot.id()))
            .setSize(size)
            .setMaxSize(limits.maxSize())
            .setUploadExpiresAt(slot.expiresAt())
            .build();
      }
      case TOO_MANY_PENDING -> throw new ApiException(507, "attachment_quota", "This account has "
          + limits.maxPendingPerAccount() + " uploads in progress already; finish or delete one first");
      case TOO_MANY_ATTACHMENTS -> throw new ApiException(507, "attachment_quota",
          "This account has " + limits.maxPerAccount() + " attachments stored already");
      case TOO_MANY_BYTES -> throw new ApiException(507, "attachment_quota", "This attachment would take the"
          + " account over its " + limits.quotaBytesPerAccount() + " bytes of attachments");
      default -> throw new IllegalStateException(result.toString());
    }
  }

  /** {@code GET /v1/attachments/{id}/upload}: how far the upload is. */
  public AttachmentUploadStatus status(AuthenticatedDevice device, String id) throws ApiException {
    Slot slot = owned(device, id);
    if (slot.complete()) {
      return status(slot, slot.size());
    }
    AttachmentStore.Stored stored = stat(id);
    if (stored.state() == AttachmentStore.State.COMPLETE) {
      // The store completed but the server stopped before recording it.
      return completed(slot);
    }
    return status(slot, stored.bytes());
  }

  /** {@code DELETE /v1/attachments/{id}}: the owner gives the attachment up (an upload in progress is cut). */
  public CompletableFuture<Void> delete(AuthenticatedDevice device, String id) throws ApiException {
    owned(device, id);
    return leases.acquire(id, () -> { }, false)
        .thenAcceptAsync(lease -> {
          try {
            store.delete(id);
            slots.delete(id);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } finally {
            lease.release();
          }
        }, io);
  }

  /** How {@link #beginUpload} went: an upload to stream, or an attachment that needs nothing more. */
  public record UploadStart(AttachmentUpload upload, AttachmentUploadStatus alreadyComplete) {}

  /**
   * Checks a {@code PUT /v1/attachments/{id}} before its body is read and opens the upload where the store's
   * durable bytes end.
   *
   * @param cut closes this request's connection (when a newer upload of the same attachment arrives)
   * @return fails with an {@link ApiException} for a refused request
   */
  public CompletableFuture<UploadStart> beginUpload(AuthenticatedDevice device, String id, String contentRange,
      OptionalLong contentLength, Runnable cut) {
    Slot slot;
    UploadRange range;
    try {
      slot = owned(device, id);
      if (slot.complete()) {
        return CompletableFuture.completedFuture(new UploadStart(null, status(slot, slot.size())));
      }
      range = UploadRange.of(contentRange, contentLength, slot.size());
    } catch (ApiException e) {
      return CompletableFuture.failedFuture(e);
    }
    return leases.acquire(id, cut, true).thenApplyAsync(lease -> {
      try {
        if (store.stat(id).state() == AttachmentStore.State.COMPLETE) {
          lease.release();
          return new UploadStart(null, completed(slot));
        }
        AttachmentStore.Upload writer = store.openUpload(id);
        if (range.start() > writer.position()) {
          long have = writer.position();
          writer.close();
          lease.release();
          throw new CompletionException(new ApiException(409, "offset_mismatch", "The server has " + have
              + " bytes of this attachment; continue from byte " + have + ", not " + range.start()));
        }
        return new UploadStart(new AttachmentUpload(this, slot, writer, lease, io, range), null);
      } catch (IOException | RuntimeException e) {
        lease.release();
        throw e instanceof CompletionException c ? c : new CompletionException(e);
      }
    }, io);
  }

  /**
   * A complete attachment to serve: its size and the range asked for with (for GET) its bytes, or the 416 for a
   * range it does not have (the transport adds the size to that answer).
   */
  public record Download(long size, DownloadRange range, ApiException unsatisfiable, ReadableByteChannel bytes,
      Runnable done) {}

  /**
   * {@code GET}/{@code HEAD /v1/attachments/{id}}. Blocking (store and database): call it on {@link #io}. The
   * caller must run {@link Download#done} when it stops sending (it frees the download's place).
   *
   * @param open false for HEAD: no bytes
   */
  public Download openDownload(String id, String rangeHeader, boolean open) throws ApiException {
    if (!AttachmentIds.isWellFormed(id)) {
      throw invalidId(id);
    }
    Slot slot = slots.find(id).filter(s -> !s.expired(clock.millis())).orElseThrow(() -> notFound(id));
    if (!slot.complete()) {
      throw ApiException.notFound("attachment_incomplete", "Attachment " + id + " is not completely uploaded yet");
    }
    DownloadRange range;
    try {
      range = DownloadRange.of(rangeHeader, slot.size());
    } catch (ApiException unsatisfiable) {
      return new Download(slot.size(), null, unsatisfiable, Channels.newChannel(InputStream.nullInputStream()), () -> { });
    }
    if (!open) {
      return new Download(slot.size(), range, null, Channels.newChannel(InputStream.nullInputStream()), () -> { });
    }
    if (!downloads.tryAcquire()) {
      throw ApiException.unavailable("too_many_downloads",
          "This server is sending as many attachments as it can at once; try again shortly", 2);
    }
    try {
      ReadableByteChannel bytes = store.read(id, range.offset(), range.length());
      return new Download(slot.size(), range, null, bytes, downloads::release);
    } catch (NoSuchFileException e) {
      downloads.release();
      throw notFound(id);
    } catch (IOException | RuntimeException e) {
      downloads.release();
      throw new UncheckedIOException(e instanceof IOException io ? io : new IOException(e));
    }
  }

  /** Deletes every attachment and abandoned upload whose time is up; returns how many. */
  public int sweep() {
    int deleted = 0;
    while (true) {
      List<Slot> expired = slots.expired(clock.millis(), SWEEP_BATCH);
      int before = deleted;
      for (Slot slot : expired) {
        if (leases.isActive(slot.id())) {
          continue; // still streaming: deleted once it stops
        }
        try {
          store.delete(slot.id());
          slots.delete(slot.id());
          deleted++;
        } catch (IOException | RuntimeException e) {
          log.warn("could not delete expired attachment bytes: {}", e.toString());
        }
      }
      if (expired.size() < SWEEP_BATCH || deleted == before) {
        return deleted;
      }
    }
  }

  public AttachmentSlots.Totals totals() {
    return slots.completedTotals(clock.millis());
  }

  public int uploadsStreaming() {
    return leases.streaming();
  }

  void uploaded(long bytes) {
    metrics.attachmentBytesUploaded(bytes);
  }

  public void downloaded(long bytes) {
    metrics.attachmentBytesDownloaded(bytes);
  }

  /** Records a complete upload: its expiry now runs from this moment. */
  AttachmentUploadStatus completed(Slot slot) {
    long now = clock.millis();
    long expiresAt = now + limits.ttl().toMillis();
    if (!slots.complete(slot.id(), now, expiresAt)) {
      throw new CompletionException(notFound(slot.id()));
    }
    return AttachmentUploadStatus.newBuilder().setId(slot.id()).setSize(slot.size()).setReceived(slot.size())
        .setComplete(true).setExpiresAt(expiresAt).build();
  }

  AttachmentUploadStatus status(Slot slot, long received) {
    return AttachmentUploadStatus.newBuilder().setId(slot.id()).setSize(slot.size()).setReceived(received)
        .setComplete(slot.complete()).setExpiresAt(slot.expiresAt()).build();
  }

  private Slot owned(AuthenticatedDevice device, String id) throws ApiException {
    if (!AttachmentIds.isWellFormed(id)) {
      throw invalidId(id);
    }
    Slot slot = slots.find(id).filter(s -> !s.expired(clock.millis())).orElseThrow(() -> notFound(id));
    if (!slot.accountId().equals(device.accountId())) {
      throw new ApiException(403, "not_your_attachment", "Attachment " + id + " was reserved by another account");
    }
    return slot;
  }

  private AttachmentStore.Stored stat(String id) {
    try {
      return store.stat(id);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ApiException notFound(String id) {
    return ApiException.notFound("attachment_not_found", "Attachment " + id + " does not exist or is no longer"
        + " available (attachments are kept for " + readable(limits.ttl()) + ")");
  }

  /** "30 days", "12 hours", "90 seconds": the largest unit that divides the duration. */
  static String readable(Duration d) {
    if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
      return d.toDays() + (d.toDays() == 1 ? " day" : " days");
    }
    if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
      return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
    }
    if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
      return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
    }
    return d.toSeconds() + " seconds";
  }

  private static ApiException invalidId(String id) {
    return ApiException.badRequest("invalid_attachment_id",
        "'" + id + "' is not an attachment id (32 characters of base64url)");
  }
}
