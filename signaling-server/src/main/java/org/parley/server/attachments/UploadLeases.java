package org.parley.server.attachments;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.parley.server.api.ApiException;

/**
 * The uploads streaming now: at most one per attachment and at most {@code maxConcurrent} in all. A new upload of
 * an attachment cuts the old one (its connection is closed) and waits until the old one has stored what it
 * received: a client whose connection died unnoticed by the server can continue at once rather than after the
 * idle timeout. Only the account that reserved the attachment gets this far, so no one else can cut an upload.
 */
final class UploadLeases {

  private static final Duration TAKEOVER_WAIT = Duration.ofSeconds(30);

  /** Held by one upload until it has persisted what it received and closed its store upload. */
  final class Lease {
    private final String id;
    private final Runnable cut;
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private boolean permit;

    private Lease(String id, Runnable cut) {
      this.id = id;
      this.cut = cut;
    }

    /** Idempotent. */
    void release() {
      synchronized (this) {
        if (released.isDone()) {
          return;
        }
        if (permit) {
          permits.release();
        }
      }
      active.remove(id, this);
      released.complete(null);
    }
  }

  private final Map<String, Lease> active = new ConcurrentHashMap<>();
  private final Semaphore permits;

  UploadLeases(int maxConcurrent) {
    this.permits = new Semaphore(maxConcurrent);
  }

  /**
   * The lease for {@code id}, once any earlier upload of it has let go.
   *
   * @param cut closes this upload's connection when a newer upload of the same attachment arrives
   * @param streaming true for an upload (which counts against {@code maxConcurrent}), false for a deletion
   * @return fails with 503 when {@code maxConcurrent} uploads are streaming, 409 when the old one does not let go
   */
  CompletableFuture<Lease> acquire(String id, Runnable cut, boolean streaming) {
    Lease mine = new Lease(id, cut);
    Lease old = active.putIfAbsent(id, mine);
    if (old != null) {
      old.cut.run();
      return old.released
          .orTimeout(TAKEOVER_WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .exceptionallyCompose(timeout -> CompletableFuture.failedFuture(new ApiException(409,
              "upload_in_progress", "Another upload of this attachment is still storing what it received; try again")))
          .thenCompose(v -> acquire(id, cut, streaming));
    }
    if (!streaming) {
      return CompletableFuture.completedFuture(mine);
    }
    if (!permits.tryAcquire()) {
      active.remove(id, mine);
      return CompletableFuture.failedFuture(ApiException.unavailable("too_many_uploads",
          "This server is receiving as many uploads as it can at once; try again shortly", 5));
    }
    synchronized (mine) {
      mine.permit = true;
    }
    return CompletableFuture.completedFuture(mine);
  }

  boolean isActive(String id) {
    return active.containsKey(id);
  }

  int streaming() {
    return active.size();
  }
}
