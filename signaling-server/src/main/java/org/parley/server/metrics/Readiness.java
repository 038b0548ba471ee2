package org.parley.server.metrics;

import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a load balancer should send this server new clients ({@code GET /ready}, ADR 0152): not while it starts,
 * not once it drains, and not while its database does not answer. A probe thread asks the database once a second;
 * the answer to a health check is a read of what it last saw, so checks never wait on the database and a flood of
 * them costs nothing.
 */
public final class Readiness implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Readiness.class);
  /** The probe's period, and how long a query may take before the database counts as unreachable. */
  static final long PROBE_MILLIS = 1_000;
  /** Without a good probe for this long, the database is unreachable (a probe stuck on a dead socket included). */
  static final long STALE_MILLIS = 3_000;

  public enum State { STARTING, READY, DRAINING }

  /** The answer to {@code /ready}: 200 with "ready", else 503 with why. */
  public record Answer(boolean ready, String reason) {}

  private final DataSource database;
  private final Thread probe;
  private volatile State state = State.STARTING;
  private volatile long lastGoodProbeNanos;
  private volatile boolean closed;

  public Readiness(DataSource database) {
    this.database = database;
    this.lastGoodProbeNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(STALE_MILLIS);
    this.probe = new Thread(this::probeLoop, "readiness-probe");
    probe.setDaemon(true);
    probe.start();
  }

  /** The server serves clients: ready from now on while the database answers. */
  public void started() {
    if (state == State.STARTING) {
      state = State.READY;
    }
  }

  /** The server drains: not ready again, whatever the database says. */
  public void draining() {
    state = State.DRAINING;
  }

  public State state() {
    return state;
  }

  public Answer answer() {
    State now = state;
    if (now == State.STARTING) {
      return new Answer(false, "starting");
    }
    if (now == State.DRAINING) {
      return new Answer(false, "draining");
    }
    if (!databaseReachable()) {
      return new Answer(false, "database unreachable");
    }
    return new Answer(true, "ready");
  }

  public boolean databaseReachable() {
    return System.nanoTime() - lastGoodProbeNanos < TimeUnit.MILLISECONDS.toNanos(STALE_MILLIS);
  }

  private void probeLoop() {
    boolean wasReachable = true;
    while (!closed) {
      long started = System.nanoTime();
      boolean good;
      try (Connection c = database.getConnection()) {
        good = c.isValid((int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(PROBE_MILLIS)));
      } catch (Exception e) {
        good = false;
      }
      if (good) {
        lastGoodProbeNanos = System.nanoTime();
      }
      if (good != wasReachable && !closed) {
        if (good) {
          log.info("The database answers again: ready");
        } else {
          log.warn("The database does not answer: not ready for the load balancer until it does");
        }
        wasReachable = good;
      }
      long spent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      try {
        Thread.sleep(Math.max(50, PROBE_MILLIS - spent));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    probe.interrupt();
  }
}
