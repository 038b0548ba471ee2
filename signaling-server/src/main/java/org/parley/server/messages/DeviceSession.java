package org.parley.server.messages;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import org.parley.protocol.Route;
import org.parley.server.connections.ClientConnection;
import org.parley.server.metrics.ServerMetrics;
import org.parley.server.storage.MessageQueue;
import org.parley.server.storage.QueuedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery to one connection. It starts by draining the device's queue from storage, page by page, oldest first,
 * then sends "queue empty" and goes live: new messages are pushed as soon as they are stored. A client that falls
 * behind (too many unanswered pushes) is switched back to draining, so memory stays bounded and nothing is skipped:
 * messages stay stored until acknowledged.
 *
 * <p>Messages stored while a page query runs are noticed through {@link #offer} and fetched again from the lowest
 * such id, since ids are handed out before storage and may commit slightly out of order. Every page query first
 * waits for the queue's earlier writes ({@link MessageQueue#sync}), so acknowledged messages are not fetched again,
 * and skips ids still in flight, so nothing is pushed twice on one connection.
 */
final class DeviceSession {

  private static final Logger log = LoggerFactory.getLogger(DeviceSession.class);
  private static final int PAGE = 256;
  private static final int MAX_IN_FLIGHT = 1024;
  private static final int RESUME_AT = 64;

  private final ClientConnection connection;
  private final String claim;
  private volatile boolean claimRecorded;
  private final MessageQueue queue;
  private final Executor workers;
  private final ServerMetrics metrics;
  private final Clock clock;

  // Guarded by this.
  private boolean live;
  private boolean stopped;
  private boolean waitingForAnswers;
  private boolean missed;
  private long missedFloor = Long.MAX_VALUE;
  private long cursor;
  private boolean queueEmptySent;
  private final InFlightIds inFlight = new InFlightIds(8);

  DeviceSession(ClientConnection connection, String claim, MessageQueue queue, Executor workers, ServerMetrics metrics,
      Clock clock) {
    this.connection = connection;
    this.claim = claim;
    this.queue = queue;
    this.workers = workers;
    this.metrics = metrics;
    this.clock = clock;
  }

  ClientConnection connection() {
    return connection;
  }

  /** This connection's hold on its device across the cluster. */
  String claim() {
    return claim;
  }

  /** The cluster has recorded the claim (or could not be reached, and the claim is refreshed when it can). */
  void claimRecorded() {
    claimRecorded = true;
  }

  boolean claimIsRecorded() {
    return claimRecorded;
  }

  void start() {
    drain();
  }

  synchronized void stop() {
    stopped = true;
  }

  /** A message for this device was just stored. */
  synchronized void offer(QueuedMessage message) {
    if (stopped) {
      return;
    }
    if (live && inFlight.size() < MAX_IN_FLIGHT) {
      send(message);
      return;
    }
    if (live) {
      // The client is not keeping up: leave the rest in storage and fetch it once it has answered.
      live = false;
      waitingForAnswers = true;
    }
    missed = true;
    missedFloor = Math.min(missedFloor, message.id());
  }

  /**
   * A message with id {@code messageId} was stored for this device by another server (or, with 1, anything may have
   * been): fetch from there on, now if live, else when the current drain ends.
   */
  void wake(long messageId) {
    synchronized (this) {
      if (stopped) {
        return;
      }
      missed = true;
      missedFloor = Math.min(missedFloor, messageId);
      if (!live) {
        // A drain is running or waiting for answers; it sees "missed" before going live.
        return;
      }
      live = false;
    }
    workers.execute(this::drain);
  }

  /** Reads the whole queue again (what was acknowledged is gone, what is in flight is not sent twice). */
  void rescan() {
    wake(1);
  }

  private void drain() {
    long from;
    synchronized (this) {
      if (stopped) {
        return;
      }
      if (missed) {
        cursor = Math.min(cursor, missedFloor - 1);
        missed = false;
        missedFloor = Long.MAX_VALUE;
      }
      from = cursor;
    }
    List<QueuedMessage> page;
    try {
      queue.sync().join();
      page = queue.fetch(connection.device(), from, PAGE);
    } catch (RuntimeException e) {
      log.warn("could not read the queue of {}; closing so the client reconnects", connection.device(), e);
      connection.close(ClientConnection.CLOSE_GOING_AWAY, "Server error reading the queue");
      return;
    }
    boolean again = false;
    synchronized (this) {
      if (stopped) {
        return;
      }
      for (QueuedMessage message : page) {
        send(message);
        cursor = Math.max(cursor, message.id());
      }
      if (page.size() == PAGE || inFlight.size() >= MAX_IN_FLIGHT) {
        waitingForAnswers = true;
        if (inFlight.size() <= RESUME_AT) {
          waitingForAnswers = false;
          again = true;
        }
      } else if (missed) {
        again = true;
      } else {
        live = true;
        if (!queueEmptySent) {
          queueEmptySent = true;
          connection.request(Route.QUEUE_EMPTY, new byte[0]);
        }
      }
    }
    if (again) {
      workers.execute(this::drain);
    }
  }

  /** Caller holds the lock. */
  private void send(QueuedMessage message) {
    if (!inFlight.add(message.id())) {
      return;
    }
    connection.request(Route.DELIVER_MESSAGE, message.envelope()).whenComplete((status, error) -> {
      if (error == null && status == 200) {
        queue.delete(connection.device(), message.id());
        metrics.messageDelivered(message.acceptedAt(), clock.millis());
      }
      answered(message.id());
    });
  }

  private void answered(long id) {
    boolean resume = false;
    synchronized (this) {
      inFlight.remove(id);
      if (waitingForAnswers && !stopped && inFlight.size() <= RESUME_AT) {
        waitingForAnswers = false;
        resume = true;
      }
    }
    if (resume) {
      workers.execute(this::drain);
    }
  }
}
