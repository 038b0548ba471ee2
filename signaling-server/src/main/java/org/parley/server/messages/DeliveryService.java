package org.parley.server.messages;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.parley.protocol.Route;
import org.parley.server.cluster.Cluster;
import org.parley.server.connections.ClientConnection;
import org.parley.server.metrics.ServerMetrics;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.MessageQueue;
import org.parley.server.storage.QueuedMessage;

/**
 * Delivers queued messages to connected devices: one {@link DeviceSession} per connection, at most one connection
 * per device (a new one replaces the old, here or, through the {@link Cluster}, on another server).
 */
public final class DeliveryService {

  private final Map<DeviceAddress, DeviceSession> sessions = new ConcurrentHashMap<>();
  private final MessageQueue queue;
  private final Executor workers;
  private final ServerMetrics metrics;
  private final Clock clock;
  private final Cluster cluster;

  public DeliveryService(MessageQueue queue, Executor workers, ServerMetrics metrics, Clock clock, Cluster cluster) {
    this.cluster = cluster;
    this.queue = queue;
    this.workers = workers;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Starts delivering to a new connection: first what is queued, oldest first, then live. */
  public void connected(ClientConnection connection) {
    String claim = cluster.newClaim();
    DeviceSession session = new DeviceSession(connection, claim, queue, workers, metrics, clock);
    DeviceSession previous = sessions.put(connection.device(), session);
    if (previous != null) {
      previous.stop();
      previous.connection().close(ClientConnection.CLOSE_REPLACED, "Replaced by a newer connection of this device");
    }
    // Acknowledgements of the previous connection may still be on their way to the database: let them land first,
    // so the new connection is not sent what was already acknowledged. The claim is recorded before the first read:
    // a server that stores a message after that read then finds this one holding the device and wakes it.
    queue.sync().handle((ok, error) -> null)
        .thenCombine(cluster.claim(connection.device(), claim).thenRun(session::claimRecorded),
            (synced, claimed) -> null)
        .whenCompleteAsync((ok, error) -> session.start(), workers);
  }

  public void disconnected(ClientConnection connection) {
    DeviceSession session = sessions.get(connection.device());
    if (session != null && session.connection() == connection) {
      sessions.remove(connection.device(), session);
      session.stop();
      cluster.release(connection.device(), session.claim());
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
    List<QueuedMessage> elsewhere = null;
    for (QueuedMessage message : messages) {
      DeviceSession session = sessions.get(message.destination());
      if (session != null) {
        session.offer(message);
      } else {
        if (elsewhere == null) {
          elsewhere = new ArrayList<>();
        }
        elsewhere.add(message);
      }
    }
    if (elsewhere != null) {
      cluster.stored(elsewhere);
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
    List<QueuedMessage> elsewhere = null;
    for (QueuedMessage message : messages) {
      DeviceSession session = sessions.get(message.destination());
      if (session != null) {
        byLoop.computeIfAbsent(session.connection().executor(), loop -> new ArrayList<>())
            .add(new Offer(session, message));
      } else {
        if (elsewhere == null) {
          elsewhere = new ArrayList<>();
        }
        elsewhere.add(message);
      }
    }
    if (elsewhere != null) {
      cluster.stored(elsewhere); // devices connected to another server of the cluster, as in stored
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
   * Sends an ephemeral envelope to the device, connected here or on another server of the cluster; completes with
   * whether a server took it for the device (see {@link #pushEphemeral}).
   */
  public CompletableFuture<Boolean> sendEphemeral(DeviceAddress device, byte[] envelope) {
    if (sessions.containsKey(device)) {
      return CompletableFuture.completedFuture(pushEphemeral(device, envelope));
    }
    return cluster.pushEphemeral(device, envelope);
  }

  /**
   * Pushes an ephemeral envelope to the device if it is connected to this server now and keeping up with what it is sent; never
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

  /** What the other servers of the cluster ask of this one. */
  public Cluster.LocalDevices localDevices() {
    return new Cluster.LocalDevices() {
      @Override
      public void wake(DeviceAddress device, long messageId) {
        DeviceSession session = sessions.get(device);
        if (session != null) {
          session.wake(messageId);
        }
      }

      @Override
      public boolean pushEphemeral(DeviceAddress device, byte[] envelope) {
        return DeliveryService.this.pushEphemeral(device, envelope);
      }

      @Override
      public void replaced(DeviceAddress device, String claim) {
        DeviceSession session = sessions.get(device);
        if (session != null && session.claim().equals(claim) && sessions.remove(device, session)) {
          session.stop();
          session.connection().close(ClientConnection.CLOSE_REPLACED,
              "Replaced by a newer connection of this device");
        }
      }

      @Override
      public void close(String accountId, int deviceId, int code, String reason) {
        closeHere(accountId, deviceId, code, reason);
      }

      @Override
      public void rescanAll() {
        sessions.values().forEach(DeviceSession::rescan);
      }

      @Override
      public Map<DeviceAddress, String> claims() {
        Map<DeviceAddress, String> claims = new HashMap<>();
        // Not those still being recorded: their refresh would find the previous holder's claim and close them.
        sessions.forEach((device, session) -> {
          if (session.claimIsRecorded()) {
            claims.put(device, session.claim());
          }
        });
        return claims;
      }
    };
  }

  /**
   * Closes the account's connections (only device {@code deviceId}'s if positive) here and on every other server of
   * the cluster, e.g. when their credentials are revoked.
   */
  public void closeEverywhere(String accountId, int deviceId, int code, String reason) {
    closeHere(accountId, deviceId, code, reason);
    cluster.closeConnections(accountId, deviceId, code, reason);
  }

  private void closeHere(String accountId, int deviceId, int code, String reason) {
    for (ClientConnection connection : connections(accountId)) {
      if (deviceId <= 0 || connection.device().deviceId() == deviceId) {
        connection.close(code, reason);
      }
    }
  }

  /** Every connection of this server for an account. */
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
