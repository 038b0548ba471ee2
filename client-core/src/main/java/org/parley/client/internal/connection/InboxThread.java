package org.parley.client.internal.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.parley.client.internal.net.WebSocketTransport;
import org.parley.protocol.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that receives: the WebSocket's reader thread only queues what the server pushes, and this thread
 * takes the deliveries that are waiting — up to {@code maxBatch} in a row — and hands them over as one batch (one
 * transaction, acknowledged after its commit). Other work queued here ({@link #afterEarlierDeliveries}, e.g. "queue
 * empty") runs in arrival order, after every delivery queued before it has been stored and answered. When the
 * server sends faster than this thread stores, the queue fills up to {@link #CAPACITY} and then holds up the reader
 * thread, so memory stays bounded (the server itself keeps at most 1,024 deliveries unanswered).
 */
final class InboxThread implements AutoCloseable {

  /** A pushed envelope and the way to answer it on the connection that brought it. */
  record Delivery(Envelope envelope, WebSocketTransport.Reply reply) {}

  static final int CAPACITY = 2048;
  /** How long a batch that is not full waits for one more delivery: 2 ms. */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private static final Logger log = LoggerFactory.getLogger(InboxThread.class);
  private static final Runnable STOP = () -> { };

  private final LinkedBlockingDeque<Object> queue = new LinkedBlockingDeque<>(CAPACITY);
  private final Consumer<List<Delivery>> batches;
  private final int maxBatch;
  private final Thread thread;
  private boolean closed;
  private boolean started;

  InboxThread(Consumer<List<Delivery>> batches, int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
    }
    this.batches = batches;
    this.maxBatch = maxBatch;
    this.thread = new Thread(this::loop, "parley-inbox");
    thread.setDaemon(true);
  }

  /** Queues a delivery; blocks while the queue is full. */
  void deliver(Delivery delivery) {
    put(delivery);
  }

  /** Runs {@code action} on this thread once every delivery queued before it has been handled. */
  void afterEarlierDeliveries(Runnable action) {
    put(action);
  }

  private void put(Object item) {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (!started) {
        // Started by the first delivery, not when the client opens: a client that never connects starts no thread.
        started = true;
        thread.start();
      }
    }
    try {
      queue.putLast(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    while (true) {
      Object first;
      try {
        first = queue.takeFirst();
      } catch (InterruptedException e) {
        return;
      }
      if (first == STOP) {
        return;
      }
      if (first instanceof Runnable action) {
        runSafely(action);
        continue;
      }
      List<Delivery> batch = new ArrayList<>();
      batch.add((Delivery) first);
      try {
        fill(batch);
      } catch (InterruptedException e) {
        return;
      }
      try {
        batches.accept(batch);
      } catch (RuntimeException e) {
        log.warn("handling a batch of {} deliveries failed; asking the server to deliver them again", batch.size(), e);
        batch.forEach(d -> d.reply().send(500));
      }
    }
  }

  /**
   * Adds the deliveries that follow, up to {@code maxBatch}. When the queue runs dry before that, it waits up to
   * {@link #LINGER_NANOS} for the next one: a backlog arrives as a stream of frames, and without the wait the thread
   * that just caught up would commit the next few one or two at a time — each commit writes its own chunk. A single
   * live message waits at most that long.
   */
  private void fill(List<Delivery> batch) throws InterruptedException {
    long deadline = System.nanoTime() + LINGER_NANOS;
    while (batch.size() < maxBatch) {
      Object next = queue.peekFirst();
      if (next == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        next = queue.pollFirst(left, TimeUnit.NANOSECONDS);
        if (next == null) {
          return;
        }
        if (!(next instanceof Delivery)) {
          queue.putFirst(next); // only this thread takes, so it goes back to the head in its place
          return;
        }
        batch.add((Delivery) next);
        continue;
      }
      if (!(next instanceof Delivery)) {
        return;
      }
      batch.add((Delivery) queue.pollFirst());
    }
  }

  private static void runSafely(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn("inbox work failed", e);
    }
  }

  /**
   * Stops after the batch in hand (not interrupted: an interrupt inside H2 closes the database file); what is still
   * queued is dropped unanswered, and the server delivers it again on the next connection.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (!started) {
        return;
      }
    }
    queue.clear();
    queue.offerFirst(STOP);
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
