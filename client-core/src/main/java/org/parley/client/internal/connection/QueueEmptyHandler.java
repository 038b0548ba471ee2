package org.parley.client.internal.connection;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.parley.client.internal.net.WebSocketTransport;
import org.parley.protocol.Route;
import org.parley.protocol.WebSocketRequest;

/**
 * {@link Route#QUEUE_EMPTY}: the server has delivered everything that was queued for us when we connected. It is
 * handled on the inbox thread after the deliveries that came before it, so when it counts, each of them has been
 * stored and acknowledged.
 */
public final class QueueEmptyHandler implements PushHandler {

  private final CountDownLatch drained = new CountDownLatch(1);
  private final DeliverMessageHandler deliveries;

  private final BacklogTracker backlog;

  public QueueEmptyHandler(DeliverMessageHandler deliveries, BacklogTracker backlog) {
    this.deliveries = deliveries;
    this.backlog = backlog;
  }

  @Override
  public int handle(WebSocketRequest request) {
    drained.countDown();
    backlog.queueEmpty();
    return 200;
  }

  @Override
  public int handle(WebSocketRequest request, WebSocketTransport.Reply reply) {
    deliveries.afterEarlierDeliveries(() -> {
      drained.countDown();
      backlog.queueEmpty();
      reply.send(200);
    });
    return WebSocketTransport.ANSWERED_LATER;
  }

  /** Waits for the first "queue empty" of this client, or {@code timeout}; returns whether it came. */
  public boolean await(Duration timeout) throws InterruptedException {
    return drained.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
