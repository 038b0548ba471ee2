package org.parley.client.internal.messaging;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NetworkException;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.Backoff;
import org.parley.client.internal.store.MessageTable;
import org.parley.client.internal.store.OutboxTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox, oldest first, on its own thread. A row leaves the outbox only when the server answered 200
 * (its message becomes "sent") or failed for good (404 unknown recipient, 4xx: "failed"); network trouble, 429,
 * 5xx and 507 leave it for a later attempt with jittered backoff. Authentication failures stop the worker.
 */
public final class OutboxWorker implements AutoCloseable {

  /** Told about status changes and fatal authentication failures. */
  public interface Callbacks {
    void statusChanged(long messageId);

    void authenticationFailed(ApiFailure failure);

    /** After every attempt, successful or not (sessions may have been rebuilt, identities learned). */
    void attempted();
  }

  /**
   * What a row needs before it can be sent and after: a message with attachments uploads them first and is sent
   * with their pointers (docs/decisions/0121-attachments-client.md). Rows without attachments pass through.
   */
  public interface Preparation {
    Preparation NONE = new Preparation() {
      @Override
      public byte[] beforeSend(OutboxTable.Row row) {
        return row.content();
      }

      @Override
      public void sent(OutboxTable.Row row, byte[] content) {}
    };

    /**
     * The content to send for {@code row} when it is ready. {@link NotReady}: the row was put off (uploads are
     * running; they make it due again when they end); {@link Unsendable}: give up (the message fails).
     */
    byte[] beforeSend(OutboxTable.Row row) throws NotReady, Unsendable;

    /** Inside the transaction that removes {@code row} after the server accepted {@code content}. */
    void sent(OutboxTable.Row row, byte[] content);
  }

  /**
   * A row that waits for something else (its attachments' uploads), without counting as a failed attempt; whoever
   * throws it has already put the row off and makes it due again when the wait is over.
   */
  public static final class NotReady extends Exception {
    private static final long serialVersionUID = 1L;

    public NotReady(String message) {
      super(message);
    }
  }

  /** A row that can never be sent as it is (an attachment over the server's cap, a cancelled upload). */
  public static final class Unsendable extends Exception {
    private static final long serialVersionUID = 1L;

    public Unsendable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);
  private static final int MAX_LOCAL_FAILURES = 10;

  private final Database db;
  private final OutboxTable outbox;
  private final MessageTable messages;
  private final Sender sender;
  private final Clock clock;
  private final Backoff backoff;
  private final Supplier<Set<Integer>> ownDevices;
  private final Callbacks callbacks;
  private final Preparation preparation;
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean idle;
  private boolean poked;

  public OutboxWorker(Database db, OutboxTable outbox, MessageTable messages, Sender sender, Clock clock,
      Backoff backoff, Supplier<Set<Integer>> ownDevices, Callbacks callbacks) {
    this(db, outbox, messages, sender, clock, backoff, ownDevices, callbacks, Preparation.NONE);
  }

  public OutboxWorker(Database db, OutboxTable outbox, MessageTable messages, Sender sender, Clock clock,
      Backoff backoff, Supplier<Set<Integer>> ownDevices, Callbacks callbacks, Preparation preparation) {
    this.preparation = preparation;
    this.db = db;
    this.outbox = outbox;
    this.messages = messages;
    this.sender = sender;
    this.clock = clock;
    this.backoff = backoff;
    this.ownDevices = ownDevices;
    this.callbacks = callbacks;
    this.thread = new Thread(this::loop, "parley-outbox");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Something was added, or the network came back: look again now. */
  public void wake(boolean retryNow) {
    if (retryNow) {
      outbox.wakeAll(clock.millis());
    }
    lock.lock();
    try {
      idle = false;
      poked = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** True when nothing is due (rows may wait for a retry) and the worker is waiting. */
  public boolean idle() {
    return idle;
  }

  private void loop() {
    while (running) {
      try {
        lock.lock();
        try {
          poked = false;
        } finally {
          lock.unlock();
        }
        Optional<OutboxTable.Row> row = outbox.nextDue(clock.millis());
        if (row.isEmpty()) {
          waitForWork();
          continue;
        }
        sendOne(row.get());
      } catch (RuntimeException e) {
        log.warn("outbox worker error", e);
        sleepQuietly(1000);
      }
    }
  }

  private void waitForWork() {
    lock.lock();
    try {
      if (poked || !running) {
        return;
      }
      idle = true;
      long wait = outbox.earliestDue().map(due -> Math.max(1, due - clock.millis())).orElse(60_000L);
      changed.await(Math.min(wait, 60_000L), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  private void sendOne(OutboxTable.Row row) {
    idle = false;
    try {
      attempt(row);
    } finally {
      callbacks.attempted();
    }
  }

  private void attempt(OutboxTable.Row row) {
    try {
      byte[] content = preparation.beforeSend(row);
      sender.send(row.destinationAccount(), content, row.sentAt(), row.ephemeral(), ownDevices);
      boolean moved = db.inTransaction(c -> {
        outbox.delete(row.id());
        preparation.sent(row, content);
        return row.messageId() != null && messages.advance(row.messageId(), MessageStatus.SENT, clock.millis());
      });
      if (moved) {
        callbacks.statusChanged(row.messageId());
      }
    } catch (NetworkException e) {
      retryLater(row, e.getMessage());
    } catch (Unsendable e) {
      giveUp(row, e.getMessage());
    } catch (NotReady e) {
      log.debug("outbox row {} is not ready: {}", row.id(), e.getMessage());
    } catch (ApiFailure failure) {
      if (failure.transientFailure() || failure.status() == 409) {
        retryLater(row, failure.getMessage());
      } else if (failure.status() == 401) {
        retryLater(row, failure.getMessage());
        callbacks.authenticationFailed(failure);
        running = false;
      } else {
        giveUp(row, failure.getMessage());
      }
    } catch (RuntimeException e) {
      // A local failure (database, a session that cannot encrypt): back off like a network error, and give up
      // after a while instead of blocking this recipient's queue for ever.
      log.warn("outbox row {} failed locally (attempt {})", row.id(), row.attempts() + 1, e);
      if (row.attempts() + 1 >= MAX_LOCAL_FAILURES) {
        giveUp(row, e.toString());
      } else {
        retryLater(row, e.toString());
      }
    }
  }

  private void giveUp(OutboxTable.Row row, String reason) {
    log.warn("giving up on outbox row {}: {}", row.id(), reason);
    boolean moved = db.inTransaction(c -> {
      outbox.delete(row.id());
      return row.messageId() != null && messages.fail(row.messageId(), clock.millis());
    });
    if (moved) {
      callbacks.statusChanged(row.messageId());
    }
  }

  private void retryLater(OutboxTable.Row row, String error) {
    long delay = backoff.delay(row.attempts(), random).toMillis();
    log.debug("outbox row {} failed ({}); retrying in {} ms", row.id(), error, delay);
    outbox.retryLater(row.id(), clock.millis() + delay, error);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    // No interrupt: an interrupted thread inside H2 closes the database file under everyone.
    running = false;
    wake(false);
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
