package org.parley.client.internal.calls;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timers of one call, all run on the call thread: the current deadline (ringing, connecting, reconnecting; a new
 * one replaces the old), the once-a-second statistics, and the caller's pending ICE restart.
 */
final class CallTimers {

  private static final Logger log = LoggerFactory.getLogger(CallTimers.class);

  private final ScheduledExecutorService callThread;
  private final String callId;
  private ScheduledFuture<?> deadline;
  private ScheduledFuture<?> stats;
  private ScheduledFuture<?> restart;

  CallTimers(ScheduledExecutorService callThread, String callId) {
    this.callThread = callThread;
    this.callId = callId;
  }

  /** Runs {@code task} after {@code delay} unless another deadline or {@link #cancelDeadline} comes first. */
  void deadline(Duration delay, Runnable task) {
    cancelDeadline();
    deadline = callThread.schedule(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("call {}: {}", callId, e.toString(), e);
      }
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  /** Starts the statistics tick, once per call. */
  void startStats(Runnable tick) {
    if (stats == null) {
      stats = callThread.scheduleAtFixedRate(tick, 1, 1, TimeUnit.SECONDS);
    }
  }

  /** Schedules an ICE restart unless one is pending; it counts as pending until it starts running. */
  void restartIn(Duration delay, Runnable restartIce) {
    if (restart == null) {
      restart = callThread.schedule(() -> {
        restart = null;
        restartIce.run();
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  void cancelRestart() {
    if (restart != null) {
      restart.cancel(false);
      restart = null;
    }
  }

  /** The call ended: nothing more runs. */
  void cancelAll() {
    cancelDeadline();
    cancelRestart();
    if (stats != null) {
      stats.cancel(false);
    }
  }
}
