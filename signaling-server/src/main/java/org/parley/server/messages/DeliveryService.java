package org.parley.server.messages;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.parley.protocol.Route;
import org.parley.server.connections.ClientConnection;
import org.parley.server.metrics.ServerMetrics;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.MessageQueue;
import org.parley.server.storage.QueuedMessage;

/**
 * Delivers queued messages to connected devices: one {@link DeviceSession} per connection, at most one connection
 * per device (a new one replaces the old).
 */
public final class DeliveryService {

  private final Map<DeviceAddress, DeviceSession> sessions = new ConcurrentHashMap<>();
  private final MessageQueue queue;
  private final Executor workers;
  private final ServerMetrics metrics;
  private final Clock clock;

  public DeliveryService(MessageQueue queue, Executor workers, ServerMetrics metrics, Clock clock) {
    this.queue = queue;
    this.workers = workers;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Starts delivering to a new connection: first what is queued, oldest first, then live. */
  public void connected(ClientConnection connection) {
    DeviceSession session = new DeviceSession(connection, queue, workers, metrics, clock);
    DeviceSession previous = sessions.put(connection.device(), session);
    if (previous != null) {
      previous.stop();
      previous.connection().close(ClientConnection.CLOSE_REPLACED, "Replaced by a newer connection of this device");
    }
    // Acknowledgements of the previous connection may still be on their way to the database: let them land first,
    // so the new connection is not sent what was already acknowledged.
    queue.sync().whenCompleteAsync((ok, error) -> session.start(), workers);
  }

  public void disconnected(ClientConnection connection) {
    DeviceSession session = sessions.get(connection.device());
    if (session != null && session.connection() == connection) {
      sessions.remove(connection.device(), session);
      session.stop();
    }
  }

  public boolean isConnected(DeviceAddress device) {
    return sessions.containsKey(device);
  }

  public int connectedCount() {
    return sessions.size();
  }

  /** Called once messages are durable: pushes each to its device if connected. */
  public void stored(List<QueuedMessage> messages) {
    for (QueuedMessage message : messages) {
      DeviceSession session = sessions.get(message.destination());
      if (session != null) {
        session.offer(message);
      }
    }
  }

  /**
   * Like {@link #stored}, for the copies of one group message: hands each connection's event loop its share of the
   * pushes, so the loops push all at once instead of the caller (the queue's single writer, which would otherwise
   * encode every push before it could write the next batch) pushing them one after another. Returns once handed
   * over, not pushed: the sender's answer need not wait, and a device's copies still keep the order of the calls,
   * since the caller calls in storage order and an event loop runs its tasks in the order given, ahead of anything
   * a later send hands it. A loop that is shutting down refuses its share: those copies stay stored and are
   * delivered when the device reconnects.
   */
  public void storedInParallel(List<QueuedMessage> messages) {
    Map<Executor, List<Offer>> byLoop = new HashMap<>();
    for (QueuedMessage message : messages) {
      DeviceSession session = sessions.get(message.destination());
      if (session != null) {
        byLoop.computeIfAbsent(session.connection().executor(), loop -> new ArrayList<>())
            .add(new Offer(session, message));
      }
    }
    byLoop.forEach((loop, offers) -> {
      try {
        loop.execute(() -> {
          for (Offer offer : offers) {
            offer.session().offer(offer.message());
          }
        });
      } catch (RejectedExecutionException e) {
        // the connection is closing with its loop; the copies wait in storage
      }
    });
  }

  private record Offer(DeviceSession session, QueuedMessage message) {}

  /**
   * Pushes an ephemeral envelope to the device if it is connected now and keeping up with what it is sent; never
   * stored, and dropped for a client that stopped reading.
   */
  public boolean pushEphemeral(DeviceAddress device, byte[] envelope) {
    DeviceSession session = sessions.get(device);
    if (session == null) {
      return false;
    }
    if (!session.connection().pushIfReady(Route.DELIVER_MESSAGE, envelope)) {
      metrics.ephemeralDropped();
      return false;
    }
    metrics.ephemeralPushed();
    return true;
  }

  /** Every connection of an account, e.g. to close them when the account is re-registered. */
  public List<ClientConnection> connections(String accountId) {
    List<ClientConnection> result = new ArrayList<>();
    sessions.forEach((device, session) -> {
      if (device.accountId().equals(accountId)) {
        result.add(session.connection());
      }
    });
    return result;
  }
}
