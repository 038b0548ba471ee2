package org.parley.client.internal.connection;

import java.util.function.LongSupplier;
import org.parley.client.api.BacklogProgress;
import org.parley.client.internal.events.Events;

/**
 * Counts what arrives between connecting and the server's "queue empty" (the backlog) and tells the listeners
 * ({@link org.parley.client.api.ParleyListener#backlogProgress}), a few times a second at most. Batches and "queue
 * empty" are handled on the inbox thread, in order; connecting happens on the transport's thread, hence the lock.
 */
public final class BacklogTracker {

  /** The least time between two progress events of one drain (the last one, {@code done}, always goes). */
  public static final long INTERVAL_MILLIS = 100;

  private final Events events;
  private final LongSupplier clockMillis;
  private boolean draining;
  private int received;
  private long lastReport = Long.MIN_VALUE;

  public BacklogTracker(Events events, LongSupplier clockMillis) {
    this.events = events;
    this.clockMillis = clockMillis;
  }

  /** A new connection: what comes now, until "queue empty", was waiting for us. */
  public synchronized void connected() {
    draining = true;
    received = 0;
    lastReport = Long.MIN_VALUE;
  }

  /** {@code stored} messages of a batch were stored and are being acknowledged. */
  public void stored(int stored) {
    BacklogProgress progress;
    synchronized (this) {
      if (!draining || stored <= 0) {
        return;
      }
      received += stored;
      long now = clockMillis.getAsLong();
      if (lastReport != Long.MIN_VALUE && now - lastReport < INTERVAL_MILLIS) {
        return;
      }
      lastReport = now;
      progress = new BacklogProgress(received, false);
    }
    events.fire(l -> l.backlogProgress(progress));
  }

  /** The server's queue is empty: the drain (if anything came) is over. */
  public void queueEmpty() {
    BacklogProgress progress;
    synchronized (this) {
      boolean wasDraining = draining;
      draining = false;
      if (!wasDraining || received == 0) {
        return;
      }
      progress = new BacklogProgress(received, true);
    }
    events.fire(l -> l.backlogProgress(progress));
  }
}
