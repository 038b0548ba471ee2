package org.parley.client.internal.messaging;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
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
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.SendMessageResponse;
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
  /**
   * Sends in flight at once on the WebSocket, each to a different destination. The server reads up to 32 requests
   * of a connection ahead of its answers; receipts and presence requests share the connection.
   */
  public static final int WINDOW = 24;
  /**
   * Rows of one destination encrypted ahead in one round, at most. They go out one after the other — the next as soon
   * as the previous one's answer is in, without a commit in between — so order per recipient is kept while the
   * session record, rewritten by every commit that encrypts for it, is written once for up to this many messages.
   */
  public static final int AHEAD = 16;
  /**
   * Rows of one destination on the wire at once, at most. The server handles a connection's sends in the order they
   * arrive (inline on the connection's event loop, queue ids handed out in that order, stored by one writer in that
   * order), so several in flight keep their order as long as none is refused; see {@link #advance} for when one is.
   * One by default: a row refused across a server restart while a later one was accepted arrived after it
   * (PipelinedSendTest in CI), and on a quiet machine 4 in flight sent no faster than 1 (978 against 971 msg/s).
   */
  public static final int DEPTH = 1;
  /** How long answers may wait for each other before they are settled (see {@link #takeAnswered}). */
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(3);

  /** A row sent over the WebSocket and waiting for its answer. */
  private record InFlight(OutboxTable.Row row, byte[] content, CompletableFuture<SendMessageResponse> answer) {}

  /** A row ready to encrypt: its content and devices are known. */
  private record Ready(OutboxTable.Row row, byte[] content, Set<Integer> devices) {}

  /** A row encrypted (its session change committed) and not sent yet. */
  private record Prepared(OutboxTable.Row row, byte[] content, SendMessageRequest request) {}

  /** A destination with rows on the WebSocket: those waiting for their answers, and those encrypted after them. */
  private static final class Lane {
    private final ArrayDeque<InFlight> sent = new ArrayDeque<>();
    private final ArrayDeque<Prepared> next = new ArrayDeque<>();
    /** A row was refused or lost: nothing more goes until the outbox's rules make its first row due again. */
    private boolean stopped;
  }

  private final Database db;
  private final OutboxTable outbox;
  private final MessageTable messages;
  private final Sender sender;
  private final Clock clock;
  private final Backoff backoff;
  private final Supplier<Set<Integer>> ownDevices;
  private final Callbacks callbacks;
  private final Preparation preparation;
  private final int window;
  private final int ahead;
  private final int depth;
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread thread;
  /** By outbox row id; only the worker thread touches it. */
  private final Map<Long, InFlight> inFlight = new LinkedHashMap<>();
  /** By destination account; only the worker thread touches it. */
  private final Map<String, Lane> lanes = new HashMap<>();
  private final Queue<InFlight> answered = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;
  private volatile boolean idle;
  private boolean poked;

  public OutboxWorker(Database db, OutboxTable outbox, MessageTable messages, Sender sender, Clock clock,
      Backoff backoff, Supplier<Set<Integer>> ownDevices, Callbacks callbacks) {
    this(db, outbox, messages, sender, clock, backoff, ownDevices, callbacks, Preparation.NONE);
  }

  public OutboxWorker(Database db, OutboxTable outbox, MessageTable messages, Sender sender, Clock clock,
      Backoff backoff, Supplier<Set<Integer>> ownDevices, Callbacks callbacks, Preparation preparation) {
    this(db, outbox, messages, sender, clock, backoff, ownDevices, callbacks, preparation, 0, 1, 1);
  }

  /**
   * @param window destinations with sends in flight at most on the WebSocket ({@link #WINDOW} when pipelining; 0,
   *     the client's default (ADR 0204), sends one row at a time over HTTP
   * @param ahead rows of a destination encrypted in one round ({@link #AHEAD} in the client; 1: one at a time)
   * @param depth rows of a destination on the wire at once ({@link #DEPTH} in the client; 1: one at a time)
   */
  public OutboxWorker(Database db, OutboxTable outbox, MessageTable messages, Sender sender, Clock clock,
      Backoff backoff, Supplier<Set<Integer>> ownDevices, Callbacks callbacks, Preparation preparation, int window,
      int ahead, int depth) {
    if (window < 0 || ahead < 1 || depth < 1) {
      throw new IllegalArgumentException("window must be at least 0, ahead and depth at least 1");
    }
    this.depth = depth;
    this.preparation = preparation;
    this.window = window;
    this.ahead = ahead;
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

  /** True when nothing is due or in flight (rows may wait for a retry) and the worker is waiting. */
  public boolean idle() {
    return idle;
  }

  /**
   * While the WebSocket is up, up to {@link #WINDOW} destinations have rows on the wire, one each, without waiting
   * for each other's answers; behind each, up to {@link #AHEAD} of its next rows are already encrypted and go as soon
   * as the one before is answered. Each round settles the answers that came in (rows removed, messages sent) and
   * encrypts the next rows of destinations that have none left in one transaction — one disk write — and then puts
   * the new requests on the wire. Without the WebSocket, one row at a time over HTTP.
   */
  private void loop() {
    while (running) {
      try {
        lock.lock();
        try {
          poked = false;
        } finally {
          lock.unlock();
        }
        List<InFlight> answers = takeAnswered();
        boolean pipelining = window > 0 && sender.pipelining();
        List<OutboxTable.Row> due = new ArrayList<>();
        int busy = lanes.size();
        int room = Math.max(1, window) - busy;
        if (room > 0 && (pipelining || answers.isEmpty())) {
          for (OutboxTable.Row row : outbox.firstDue(clock.millis(), room + busy + answers.size())) {
            if (!inFlight.containsKey(row.id()) && !lanes.containsKey(row.destinationAccount())
                && !answered(answers, row) && due.size() < room) {
              due.add(row);
            }
          }
        }
        if (!answers.isEmpty() || pipelining && !due.isEmpty()) {
          round(answers, pipelining ? due : List.of());
          if (pipelining && !due.isEmpty()) {
            continue;
          }
        }
        if (!due.isEmpty() && !pipelining && inFlight.isEmpty()) {
          sendOne(due.get(0));
          continue;
        }
        waitForWork();
      } catch (RuntimeException e) {
        log.warn("outbox worker error", e);
        sleepQuietly(1000);
      }
    }
  }

  private static boolean answered(List<InFlight> answers, OutboxTable.Row row) {
    for (InFlight answer : answers) {
      if (answer.row().id() == row.id()) {
        return true;
      }
    }
    return false;
  }

  private void waitForWork() {
    lock.lock();
    try {
      if (poked || !running || !answered.isEmpty()) {
        return;
      }
      long wait;
      if (inFlight.isEmpty()) {
        idle = true;
        wait = outbox.earliestDue().map(due -> Math.max(1, due - clock.millis())).orElse(60_000L);
      } else {
        // Answers wake us; a row put off meanwhile is looked at again within the second.
        wait = 1000;
      }
      changed.await(Math.min(wait, 60_000L), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The answers that came in; each lets the next encrypted row of its destination go at once. While more are in
   * flight it waits up to {@link #LINGER_NANOS} for half the window, so a round (a commit) covers many rows.
   */
  private List<InFlight> takeAnswered() {
    List<InFlight> taken = new ArrayList<>();
    int waiting = inFlight.size();
    drainAnswered(taken);
    if (taken.isEmpty()) {
      return taken;
    }
    long deadline = System.nanoTime() + LINGER_NANOS;
    int want = Math.min(waiting, Math.max(1, window / 2));
    while (taken.size() < want && running) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      lock.lock();
      try {
        if (answered.isEmpty()) {
          changed.awaitNanos(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      } finally {
        lock.unlock();
      }
      drainAnswered(taken);
    }
    return taken;
  }

  private void drainAnswered(List<InFlight> taken) {
    for (InFlight sent; (sent = answered.poll()) != null; ) {
      inFlight.remove(sent.row().id());
      taken.add(sent);
      advance(sent);
    }
  }

  /**
   * {@code answered} leaves its destination's lane: an accepted row lets the next encrypted one go now (it is settled
   * in the coming round; a kill before that sends both again with their timestamps, which the receiver stores once).
   * After a refusal or a lost connection the rows encrypted after it are dropped unsent: they stay in the outbox and
   * are encrypted again when their turn comes (the skipped message keys cost the receiver nothing).
   */
  private void advance(InFlight answered) {
    Lane lane = lanes.get(answered.row().destinationAccount());
    if (lane == null || !lane.sent.remove(answered)) {
      return;
    }
    if (answered.answer().isCompletedExceptionally() || !sender.pipelining()) {
      // Rows already on the wire behind a refused one may still be accepted, and then arrive before it does when it
      // is sent again: the one case where a destination's order is not kept (the receiver shows by sent time).
      lane.stopped = true;
      lane.next.clear();
    }
    fill(lane);
    if (lane.sent.isEmpty()) {
      lanes.remove(answered.row().destinationAccount());
    }
  }

  /** Puts the lane's next encrypted rows on the wire, up to {@link #depth} in flight. */
  private void fill(Lane lane) {
    while (!lane.stopped && lane.sent.size() < depth && !lane.next.isEmpty()) {
      submit(lane, lane.next.poll());
    }
  }

  private void submit(Lane lane, Prepared prepared) {
    CompletableFuture<SendMessageResponse> answer =
        sender.submit(prepared.row().destinationAccount(), prepared.request());
    InFlight sent = new InFlight(prepared.row(), prepared.content(), answer);
    lane.sent.add(sent);
    inFlight.put(prepared.row().id(), sent);
    answer.whenComplete((response, error) -> answered(sent));
  }

  /**
   * One round: settles {@code answers} and encrypts {@code rows} in one transaction, then sends {@code rows} over the
   * WebSocket without waiting and deals with what failed.
   */
  private void round(List<InFlight> answers, List<OutboxTable.Row> rows) {
    idle = false;
    List<InFlight> accepted = new ArrayList<>();
    List<InFlight> refused = new ArrayList<>();
    for (InFlight answer : answers) {
      (answer.answer().isCompletedExceptionally() ? refused : accepted).add(answer);
    }
    // Content and devices first: a destination without sessions starts them over the network, outside the
    // transaction.
    List<List<Ready>> ready = new ArrayList<>();
    for (OutboxTable.Row first : rows) {
      String destination = first.destinationAccount();
      List<Ready> run = new ArrayList<>();
      Set<Integer> devices = null;
      for (OutboxTable.Row row : outbox.dueRun(destination, first.id(), clock.millis(), ahead)) {
        try {
          byte[] content = preparation.beforeSend(row);
          if (devices == null) {
            devices = sender.devices(destination, ownDevices);
          }
          if (devices.isEmpty() && sender.isSelf(destination)) {
            // A sync copy while we know of no other device of ours: done without sending.
            accepted.add(new InFlight(row, content, CompletableFuture.completedFuture(null)));
          } else {
            run.add(new Ready(row, content, devices));
          }
        } catch (Exception e) {
          failed(row, e);
          break; // the rows after it wait for it
        }
      }
      if (!run.isEmpty()) {
        ready.add(run);
      }
    }
    List<Long> moved = new ArrayList<>();
    List<List<Prepared>> encrypted = new ArrayList<>();
    Map<Ready, Exception> unencrypted = new LinkedHashMap<>();
    try {
      db.run(c -> {
        for (InFlight sent : accepted) {
          OutboxTable.Row row = sent.row();
          outbox.delete(row.id());
          preparation.sent(row, sent.content());
          if (row.messageId() != null && messages.advance(row.messageId(), MessageStatus.SENT, clock.millis())) {
            moved.add(row.messageId());
          }
        }
        for (List<Ready> run : ready) {
          List<Prepared> prepared = new ArrayList<>();
          for (Ready r : run) {
            try {
              prepared.add(new Prepared(r.row(), r.content(), db.inSavepoint(s -> sender.encrypt(
                  r.row().destinationAccount(), r.devices(), r.content(), r.row().sentAt(), r.row().ephemeral(),
                  false))));
            } catch (RuntimeException e) {
              unencrypted.put(r, e);
              break; // the rows after it wait for it
            }
          }
          if (!prepared.isEmpty()) {
            encrypted.add(prepared);
          }
        }
      });
    } catch (RuntimeException e) {
      // Nothing committed: the accepted rows are still in the outbox and go again (as when a kill comes here).
      log.warn("settling {} sent rows failed", accepted.size(), e);
      callbacks.attempted();
      return;
    }
    moved.forEach(callbacks::statusChanged);
    for (List<Prepared> run : encrypted) {
      Lane lane = new Lane();
      lanes.put(run.get(0).row().destinationAccount(), lane);
      lane.next.addAll(run);
      fill(lane);
    }
    unencrypted.forEach((r, e) -> failed(r.row(), e));
    for (InFlight sent : refused) {
      Throwable cause = sent.answer().handle((r, e) -> e instanceof CompletionException ? e.getCause() : e).join();
      if (cause instanceof ApiFailure failure && failure.status() == 409) {
        retryAfterMismatch(sent.row(), failure);
      } else {
        failed(sent.row(), cause instanceof Exception e ? e : new RuntimeException(cause));
      }
    }
    if (!answers.isEmpty() || !unencrypted.isEmpty()) {
      callbacks.attempted();
    }
  }

  private void answered(InFlight sent) {
    answered.add(sent);
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The server's device list differs from our sessions: correct them and send this row again, over HTTP. */
  private void retryAfterMismatch(OutboxTable.Row row, ApiFailure failure) {
    try {
      sender.fixDevices(row.destinationAccount(), failure);
    } catch (Exception e) {
      failed(row, e);
      return;
    }
    attempt(row);
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
    } catch (Exception e) {
      failed(row, e);
    }
  }

  /** What a failed attempt at {@code row} leads to, by what failed. */
  private void failed(OutboxTable.Row row, Exception e) {
    if (e instanceof NetworkException) {
      retryLater(row, e.getMessage());
    } else if (e instanceof Unsendable) {
      giveUp(row, e.getMessage());
    } else if (e instanceof NotReady) {
      log.debug("outbox row {} is not ready: {}", row.id(), e.getMessage());
    } else if (e instanceof ApiFailure failure) {
      if (failure.transientFailure() || failure.status() == 409) {
        retryLater(row, failure.getMessage());
      } else if (failure.status() == 401) {
        retryLater(row, failure.getMessage());
        callbacks.authenticationFailed(failure);
        running = false;
      } else {
        giveUp(row, failure.getMessage());
      }
    } else {
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
