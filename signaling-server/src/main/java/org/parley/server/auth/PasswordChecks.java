package org.parley.server.auth;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.server.api.ApiException;

/**
 * Where the slow password hash runs: its own threads, off the pool that serves requests, in two lanes with bounded
 * queues. The first lane is for credentials naming a device that exists and is not under attack; the second for
 * everything else (unknown devices, devices whose password was recently guessed wrong). A stranger who fills the
 * second lane delays only other strangers; a full lane answers 503 at once instead of queueing without end.
 */
public final class PasswordChecks implements AutoCloseable {

  /** Which lane a check waits in. */
  public enum Lane {
    KNOWN_DEVICE, STRANGER
  }

  private final PasswordHasher hasher;
  private final ThreadPoolExecutor known;
  private final ThreadPoolExecutor strangers;
  private final AtomicLong slowChecks = new AtomicLong();

  public PasswordChecks(PasswordHasher hasher, int knownThreads, int knownQueue, int strangerQueue) {
    this.hasher = hasher;
    this.known = pool("password-check", knownThreads, knownQueue);
    this.strangers = pool("password-check-stranger", 1, strangerQueue);
  }

  /** Sized for this machine: half the cores for known devices, one thread for strangers. */
  public static PasswordChecks forThisMachine(PasswordHasher hasher) {
    return new PasswordChecks(hasher, Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 256, 32);
  }

  private static ThreadPoolExecutor pool(String name, int threads, int queue) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
        r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Completes with whether {@code password} matches {@code stored}; fails with 503 when the lane is full. */
  public CompletableFuture<Boolean> verify(String password, String stored, Lane lane) {
    ThreadPoolExecutor pool = lane == Lane.KNOWN_DEVICE ? known : strangers;
    try {
      return CompletableFuture.supplyAsync(() -> {
        slowChecks.incrementAndGet();
        return hasher.verify(password, stored);
      }, pool);
    } catch (RejectedExecutionException full) {
      return CompletableFuture.failedFuture(ApiException.unavailable("busy",
          "The server is checking too many passwords right now; try again shortly", 1));
    }
  }

  /** Slow hashes computed so far (for metrics and tests). */
  public long slowChecks() {
    return slowChecks.get();
  }

  @Override
  public void close() {
    known.shutdownNow();
    strangers.shutdownNow();
  }
}
