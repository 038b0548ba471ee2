package org.parley.client.internal.connection;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.parley.client.internal.events.IdentityChanges;
import org.parley.client.internal.linking.OwnDevices;
import org.parley.client.internal.messaging.Inbox;
import org.parley.client.internal.net.WebSocketTransport;
import org.parley.protocol.Envelope;
import org.parley.protocol.Route;
import org.parley.protocol.WebSocketRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Route#DELIVER_MESSAGE}: an envelope for us. The reader thread only queues it on the {@link InboxThread},
 * which hands the envelopes waiting there to the inbox as one batch; only after the batch's commit do the listeners
 * hear of its messages, and only then are the envelopes acknowledged (the server deletes them). Ephemeral
 * envelopes get no answer.
 */
public final class DeliverMessageHandler implements PushHandler, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DeliverMessageHandler.class);

  private final Inbox inbox;
  private final OwnDevices ownDevices;
  private final IdentityChanges identityChanges;
  private final FaultInjection faults;
  private final InboxThread thread;
  private final BacklogTracker backlog;

  /**
   * {@code maxBatch}: the most envelopes per transaction (1 for the benchmark's comparison); {@code backlog} counts
   * what is stored while a backlog drains.
   */
  public DeliverMessageHandler(Inbox inbox, OwnDevices ownDevices, IdentityChanges identityChanges,
      FaultInjection faults, int maxBatch, BacklogTracker backlog) {
    this.backlog = backlog;
    this.inbox = inbox;
    this.ownDevices = ownDevices;
    this.identityChanges = identityChanges;
    this.faults = faults;
    this.thread = new InboxThread(this::handleBatch, maxBatch);
  }

  /** Handles one delivery on the calling thread and returns its answer (0 for an ephemeral one). */
  @Override
  public int handle(WebSocketRequest request) {
    int[] status = {0};
    int now = handle(request, answer -> status[0] = answer, false);
    return now == WebSocketTransport.ANSWERED_LATER ? status[0] : now;
  }

  @Override
  public int handle(WebSocketRequest request, WebSocketTransport.Reply reply) {
    return handle(request, reply, true);
  }

  private int handle(WebSocketRequest request, WebSocketTransport.Reply reply, boolean queued) {
    Envelope envelope;
    try {
      envelope = Envelope.parseFrom(request.getBody());
    } catch (InvalidProtocolBufferException e) {
      log.warn("dropping a delivery that is not an Envelope");
      return 200;
    }
    InboxThread.Delivery delivery = new InboxThread.Delivery(envelope, reply);
    if (queued) {
      thread.deliver(delivery);
    } else {
      handleBatch(List.of(delivery));
    }
    return WebSocketTransport.ANSWERED_LATER;
  }

  /** Runs {@code action} once every delivery that arrived before it has been stored and answered. */
  void afterEarlierDeliveries(Runnable action) {
    thread.afterEarlierDeliveries(action);
  }

  private void handleBatch(List<InboxThread.Delivery> batch) {
    List<Envelope> envelopes = new ArrayList<>(batch.size());
    batch.forEach(d -> envelopes.add(d.envelope()));
    List<Inbox.Result> results = inbox.processBatch(envelopes);
    envelopes.forEach(ownDevices::noticeSender);
    // A key that changed while decrypting is reported before the messages it came with, so a listener that hears
    // of a message already knows (and a front end can show the warning first).
    identityChanges.report();
    results.forEach(result -> result.afterCommit().run());
    int stored = 0;
    for (Inbox.Result result : results) {
      stored += result.outcome() == Inbox.Outcome.STORED ? 1 : 0;
    }
    backlog.stored(stored);
    boolean acknowledging = false;
    for (int i = 0; i < batch.size(); i++) {
      acknowledging |= !envelopes.get(i).getEphemeral() && results.get(i).status() == 200;
    }
    if (acknowledging) {
      faults.beforeAck();
    }
    for (int i = 0; i < batch.size(); i++) {
      if (!envelopes.get(i).getEphemeral()) {
        batch.get(i).reply().send(results.get(i).status());
      }
    }
  }

  /** Stops the inbox thread (after the batch in hand); unanswered deliveries come again on the next connection. */
  @Override
  public void close() {
    thread.close();
  }
}
