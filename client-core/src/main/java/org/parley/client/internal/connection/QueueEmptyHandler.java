package org.parley.client.internal.connection;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.parley.protocol.Route;
import org.parley.protocol.WebSocketRequest;

/**
 * {@link Route#QUEUE_EMPTY}: the server has delivered everything that was queued for us when we connected (each
 * delivery before it is stored and acknowledged, since requests are handled in order).
 */
public final class QueueEmptyHandler implements PushHandler {

  private final CountDownLatch drained = new CountDownLatch(1);

  @Override
  public int handle(WebSocketRequest request) {
    drained.countDown();
    return 200;
  }

  /** Waits for the first "queue empty" of this client, or {@code timeout}; returns whether it came. */
  public boolean await(Duration timeout) throws InterruptedException {
    return drained.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
