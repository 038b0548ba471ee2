package org.parley.server.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.parley.server.ratelimit.SharedLimits;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.QueuedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers of a cluster talking through Redis (ADR 0151).
 *
 * <ul>
 *   <li>{@code parley:device:ACCOUNT.DEVICE} names the claim ({@code NODE/SEQ}) of the connection that holds the
 *       device, with an expiry the holder refreshes; a server that stops refreshing (killed) stops being named.
 *   <li>Each server subscribes to {@code parley:node:NODE} and hears there: wake-ups ({@code W}) for messages another
 *       server stored, ephemeral envelopes ({@code E}), and take-overs ({@code R}) of one of its devices.
 *   <li>{@code parley:provisioning:ADDRESS} names the server whose provisioning socket is at that address, for the
 *       socket's lifetime; a server relays a provisioning message ({@code V}) to it, taking the name with GETDEL.
 *   <li>Every server subscribes to {@code parley:all} and hears there which accounts changed ({@code A}: their cached
 *       copies are dropped), which connections to close ({@code C}) because
 *       their credentials were revoked, and which accounts went online or offline ({@code P}) for its presence
 *       subscribers. An account is online while any of its devices' keys names a claim.
 * </ul>
 *
 * <p>When Redis cannot be heard (its subscription is down or a command fails) the server polls: every
 * {@code pollInterval} it reads each connected device's queue again, until Redis answers again; then it records its
 * claims again (a restarted Redis has forgotten them) and reads the queues once more.
 */
public final class RedisCluster implements Cluster {

  private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);
  private static final String DEVICE_KEY = "parley:device:";
  private static final String NODE_CHANNEL = "parley:node:";
  private static final String ALL_CHANNEL = "parley:all";
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
  static final Duration CLAIM_TTL = Duration.ofSeconds(60);

  /** Keeps the claim alive if it is still ours; takes it if nobody holds the device (Redis restarted). 0: lost. */
  private static final String REFRESH = """
      local current = redis.call('GET', KEYS[1])
      if current == ARGV[1] then
        redis.call('EXPIRE', KEYS[1], ARGV[2])
        return 1
      elseif not current then
        redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
        return 1
      end
      return 0""";
  /** Deletes the claim only if it is still ours: a newer connection elsewhere keeps its own. */
  private static final String RELEASE = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0""";

  /**
   * A token bucket (hash of tokens and last refill) shared by every server: ARGV capacity, milliseconds per token,
   * now, "spend" or "look". Returns 0 if a token was there (spent if asked), else the milliseconds until one is.
   */
  private static final String TOKEN_BUCKET = """
      local capacity = tonumber(ARGV[1])
      local per_token = tonumber(ARGV[2])
      local now = tonumber(ARGV[3])
      local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
      local tokens = tonumber(bucket[1]) or capacity
      local at = tonumber(bucket[2]) or now
      if now > at then
        tokens = math.min(capacity, tokens + (now - at) / per_token)
        at = now
      end
      local wait = 0
      if tokens < 1 then
        wait = math.ceil((1 - tokens) * per_token)
      elseif ARGV[4] == 'spend' then
        tokens = tokens - 1
      end
      if ARGV[4] == 'spend' then
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
        redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * per_token) + 1000)
      end
      return wait""";
  private static final String LIMIT_KEY = "parley:limit:";
  private static final String PROVISIONING_KEY = "parley:provisioning:";

  private final String nodeId;
  private final Duration pollInterval;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisAsyncCommands<String, String> redis;
  private final StatefulRedisPubSubConnection<String, String> subscription;
  private final ScheduledExecutorService timer;
  private final AtomicLong claims = new AtomicLong();
  private volatile LocalDevices devices;
  private volatile PresenceListener presence = (accountId, online, lastSeen) -> { };
  private volatile ProvisioningSockets provisioning = (address, body) -> false;
  private volatile AccountListener accounts = accountId -> { };
  private volatile boolean unreachable;

  private RedisCluster(String nodeId, Duration pollInterval, RedisClient client) {
    this.nodeId = nodeId;
    this.pollInterval = pollInterval;
    this.client = client;
    this.connection = client.connect();
    this.redis = connection.async();
    this.subscription = client.connectPubSub();
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "cluster-" + nodeId);
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Connects to Redis at {@code url} ({@code redis://host:port}, or {@code rediss://} for TLS).
   *
   * @throws IllegalStateException when Redis cannot be reached: a server does not join a cluster it cannot hear
   */
  public static RedisCluster connect(String url, Duration pollInterval) {
    RedisURI uri;
    try {
      uri = RedisURI.create(url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cluster.redis-url: not a Redis URL (redis://host:port): " + e.getMessage(),
          e);
    }
    uri.setTimeout(COMMAND_TIMEOUT);
    // Back within 2 s of Redis answering again (Lettuce's default waits up to 30 s between tries).
    ClientResources resources = ClientResources.builder()
        .reconnectDelay(() -> Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
        .build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        // Fail at once while Redis is away instead of queueing: the caller falls back to polling.
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
        .build());
    try {
      return new RedisCluster(newNodeId(), pollInterval, client);
    } catch (RuntimeException e) {
      client.shutdown();
      resources.shutdown();
      throw new IllegalStateException("Cannot reach Redis at cluster.redis-url (" + uri.getHost() + ":"
          + uri.getPort() + "): " + e.getMessage(), e);
    }
  }

  private static String newNodeId() {
    byte[] bytes = new byte[8];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Rate limits every server of the cluster shares; none (this server's own) while Redis does not answer. */
  public SharedLimits limits() {
    return (bucket, limit, nowMillis, spend) -> {
      try {
        Long wait = redis.<Long>eval(TOKEN_BUCKET, ScriptOutputType.INTEGER, new String[] {LIMIT_KEY + bucket},
                Integer.toString(limit.capacity()), Double.toString(limit.refillEvery().toNanos() / 1_000_000.0),
                Long.toString(nowMillis), spend ? "spend" : "look")
            .toCompletableFuture().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return OptionalLong.of(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return OptionalLong.empty();
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        failed("checking a shared rate limit", e);
        return OptionalLong.empty();
      }
    };
  }

  /** Whether this server cannot hear Redis now (and so reads its devices' queues every poll interval). */
  public boolean unreachable() {
    return unreachable;
  }

  /** This server's name in Redis, new at every start. */
  public String nodeId() {
    return nodeId;
  }

  @Override
  public void start(LocalDevices devices) {
    this.devices = devices;
    subscription.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, String message) {
        heard(message);
      }
    });
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        if (handler == subscription && !unreachable) {
          log.warn("Lost the Redis subscription; reading the queues of connected devices every {} until it is back",
              pollInterval);
          unreachable = true;
        }
      }
    });
    subscription.sync().subscribe(NODE_CHANNEL + nodeId, ALL_CHANNEL);
    long poll = pollInterval.toMillis();
    timer.scheduleWithFixedDelay(this::pollWhileUnreachable, poll, poll, TimeUnit.MILLISECONDS);
    long refresh = CLAIM_TTL.toMillis() / 3;
    timer.scheduleWithFixedDelay(this::refreshClaims, refresh, refresh, TimeUnit.MILLISECONDS);
  }

  @Override
  public String newClaim() {
    return nodeId + "/" + claims.incrementAndGet();
  }

  @Override
  public CompletableFuture<Void> claim(DeviceAddress device, String claim) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      redis.setGet(DEVICE_KEY + device, claim, SetArgs.Builder.ex(CLAIM_TTL)).whenComplete((previous, error) -> {
        if (error != null) {
          failed("recording which server holds " + device, error);
          done.complete(null);
          return;
        }
        String owner = previous == null ? null : nodeOf(previous);
        if (owner == null || owner.equals(nodeId)) {
          // A connection here before it was replaced by the delivery service itself.
          done.complete(null);
          return;
        }
        publish(owner, "R", device, previous).whenComplete((receivers, ignored) -> done.complete(null));
      });
    } catch (RuntimeException e) {
      failed("recording which server holds " + device, e);
      done.complete(null);
    }
    return done;
  }

  @Override
  public void release(DeviceAddress device, String claim) {
    try {
      redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {DEVICE_KEY + device}, claim)
          .whenComplete((deleted, error) -> {
            if (error != null) {
              // The claim expires by itself.
              failed("forgetting " + device, error);
            }
          });
    } catch (RuntimeException e) {
      failed("forgetting " + device, e);
    }
  }

  @Override
  public void stored(List<QueuedMessage> messages) {
    for (QueuedMessage message : messages) {
      DeviceAddress device = message.destination();
      holder(device).thenAccept(owner -> {
        if (owner != null && !owner.equals(nodeId)) {
          publish(owner, "W", device, Long.toString(message.id()));
        }
      });
    }
  }

  @Override
  public CompletableFuture<Boolean> pushEphemeral(DeviceAddress device, byte[] envelope) {
    return holder(device).thenCompose(owner -> owner == null || owner.equals(nodeId)
        ? CompletableFuture.completedFuture(false)
        : publish(owner, "E", device, Base64.getEncoder().encodeToString(envelope)).thenApply(receivers -> receivers > 0));
  }

  @Override
  public CompletableFuture<Boolean> anyConnected(Supplier<List<DeviceAddress>> devices) {
    List<DeviceAddress> asked = devices.get();
    if (asked.isEmpty()) {
      return CompletableFuture.completedFuture(false);
    }
    CompletableFuture<Boolean> any = new CompletableFuture<>();
    try {
      redis.mget(asked.stream().map(device -> DEVICE_KEY + device).toArray(String[]::new))
          .whenComplete((values, error) -> {
            if (error != null) {
              failed("looking up which devices are connected", error);
              any.complete(false);
            } else {
              any.complete(values.stream().anyMatch(KeyValue::hasValue));
            }
          });
    } catch (RuntimeException e) {
      failed("looking up which devices are connected", e);
      any.complete(false);
    }
    return any;
  }

  @Override
  public void presenceChanged(String accountId, boolean online, long lastSeen) {
    broadcast("P 0 " + nodeId + ":" + (online ? 1 : 0) + ":" + lastSeen + " " + accountId, accountId);
  }

  @Override
  public void onPresenceChanged(PresenceListener listener) {
    this.presence = listener;
  }

  @Override
  public void accountChanged(String accountId) {
    broadcast("A 0 " + nodeId + " " + accountId, accountId);
  }

  @Override
  public void onAccountChanged(AccountListener listener) {
    this.accounts = listener;
  }

  @Override
  public void onProvisioning(ProvisioningSockets sockets) {
    this.provisioning = sockets;
  }

  @Override
  public void provisioningOpened(String address, Duration lifetime) {
    try {
      redis.set(PROVISIONING_KEY + address, nodeId, SetArgs.Builder.px(lifetime.toMillis()))
          .whenComplete((ok, error) -> {
            if (error != null) {
              // Then only this server can relay to the socket: a phone on another server is told to scan again.
              failed("recording a provisioning address", error);
            }
          });
    } catch (RuntimeException e) {
      failed("recording a provisioning address", e);
    }
  }

  @Override
  public void provisioningClosed(String address) {
    try {
      redis.del(PROVISIONING_KEY + address).whenComplete((deleted, error) -> {
        if (error != null) {
          // It expires with the socket's lifetime; a relay to it meanwhile finds no socket there.
          failed("forgetting a provisioning address", error);
        }
      });
    } catch (RuntimeException e) {
      failed("forgetting a provisioning address", e);
    }
  }

  @Override
  public CompletableFuture<Boolean> deliverProvisioning(String address, byte[] body) {
    CompletableFuture<Boolean> taken = new CompletableFuture<>();
    try {
      // GETDEL: one relay per address across the cluster, as the local map's remove is on one server.
      redis.getdel(PROVISIONING_KEY + address).whenComplete((owner, error) -> {
        if (error != null) {
          failed("looking up a provisioning address", error);
        }
        if (owner == null || owner.equals(nodeId)) {
          taken.complete(false);
          return;
        }
        publishRaw(owner, "V 0 " + Base64.getEncoder().encodeToString(body) + " " + address)
            .whenComplete((receivers, ignored) -> taken.complete(receivers != null && receivers > 0));
      });
    } catch (RuntimeException e) {
      failed("looking up a provisioning address", e);
      taken.complete(false);
    }
    return taken;
  }

  private void broadcast(String message, String accountId) {
    try {
      redis.publish(ALL_CHANNEL, message).whenComplete((receivers, error) -> {
        if (error != null) {
          failed("telling the other servers about " + accountId, error);
        }
      });
    } catch (RuntimeException e) {
      failed("telling the other servers about " + accountId, e);
    }
  }

  @Override
  public void closeConnections(String accountId, int deviceId, int code, String reason) {
    String payload = nodeId + ":" + code + ":" + Base64.getEncoder().encodeToString(
        reason.getBytes(StandardCharsets.UTF_8));
    broadcast("C " + deviceId + " " + payload + " " + accountId, accountId);
  }

  /** The node that holds {@code device}'s connection, or null (none, or Redis not answering). */
  private CompletableFuture<String> holder(DeviceAddress device) {
    CompletableFuture<String> owner = new CompletableFuture<>();
    try {
      redis.get(DEVICE_KEY + device).whenComplete((claim, error) -> {
        if (error != null) {
          failed("looking up which server holds " + device, error);
        }
        owner.complete(claim == null ? null : nodeOf(claim));
      });
    } catch (RuntimeException e) {
      failed("looking up which server holds " + device, e);
      owner.complete(null);
    }
    return owner;
  }

  /** Publishes {@code TYPE DEVICE PAYLOAD ACCOUNT} to a node; completes with how many heard it (0 on failure). */
  private CompletableFuture<Long> publish(String node, String type, DeviceAddress device, String payload) {
    return publishRaw(node, type + " " + device.deviceId() + " " + payload + " " + device.accountId());
  }

  private CompletableFuture<Long> publishRaw(String node, String message) {
    CompletableFuture<Long> heard = new CompletableFuture<>();
    try {
      redis.publish(NODE_CHANNEL + node, message).whenComplete((receivers, error) -> {
        if (error != null) {
          failed("telling server " + node + " something", error);
        }
        heard.complete(receivers == null ? 0L : receivers);
      });
    } catch (RuntimeException e) {
      failed("telling server " + node + " something", e);
      heard.complete(0L);
    }
    return heard;
  }

  private void heard(String message) {
    LocalDevices local = devices;
    String[] parts = message.split(" ", 4);
    if (local == null || parts.length != 4) {
      log.warn("Ignoring a cluster message of unknown form ({} characters)", message.length());
      return;
    }
    try {
      if (parts[0].equals("V")) {
        // A provisioning message for a socket here: the last part is its address, not an account.
        provisioning.deliver(parts[3], Base64.getDecoder().decode(parts[2]));
        return;
      }
      DeviceAddress device = new DeviceAddress(parts[3], Integer.parseInt(parts[1]));
      switch (parts[0]) {
        case "W" -> local.wake(device, Long.parseLong(parts[2]));
        case "E" -> local.pushEphemeral(device, Base64.getDecoder().decode(parts[2]));
        case "R" -> local.replaced(device, parts[2]);
        case "A" -> {
          if (!parts[2].equals(nodeId)) {
            accounts.changed(device.accountId());
          }
        }
        case "P" -> {
          String[] change = parts[2].split(":", 3);
          if (change.length == 3 && !change[0].equals(nodeId)) {
            presence.changed(device.accountId(), change[1].equals("1"), Long.parseLong(change[2]));
          }
        }
        case "C" -> {
          String[] close = parts[2].split(":", 3);
          if (close.length == 3 && !close[0].equals(nodeId)) {
            local.close(device.accountId(), device.deviceId(), Integer.parseInt(close[1]),
                new String(Base64.getDecoder().decode(close[2]), StandardCharsets.UTF_8));
          }
        }
        default -> log.warn("Ignoring a cluster message of unknown type {}", parts[0]);
      }
    } catch (IllegalArgumentException e) {
      log.warn("Ignoring a malformed cluster message: {}", e.getMessage());
    }
  }

  private void pollWhileUnreachable() {
    if (!unreachable) {
      return;
    }
    try {
      boolean back = subscription.isOpen()
          && "PONG".equals(redis.ping().toCompletableFuture().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      if (back) {
        log.info("Redis answers again; recording this server's devices and reading their queues once more");
        unreachable = false;
        refreshClaims();
      }
    } catch (Exception e) {
      // Still unreachable.
    }
    // Account changes on other servers cannot be heard meanwhile: cached accounts are read again, at most one poll
    // interval old (and once more when Redis is back).
    accounts.changed(null);
    try {
      // After "back" too: what was stored while this server could not be told is in the queues.
      devices.rescanAll();
    } catch (RuntimeException e) {
      log.warn("reading the queues of connected devices failed", e);
    }
  }

  private void refreshClaims() {
    LocalDevices local = devices;
    local.claims().forEach((device, claim) -> {
      try {
        redis.eval(REFRESH, ScriptOutputType.INTEGER, new String[] {DEVICE_KEY + device}, claim,
            Long.toString(CLAIM_TTL.toSeconds())).whenComplete((kept, error) -> {
              if (error != null) {
                failed("refreshing which server holds " + device, error);
              } else if (Long.valueOf(0).equals(kept)) {
                // Another server holds the device now and its word may have been lost: this connection is stale.
                local.replaced(device, claim);
              }
            });
      } catch (RuntimeException e) {
        failed("refreshing which server holds " + device, e);
      }
    });
  }

  private void failed(String what, Throwable error) {
    if (!unreachable) {
      log.warn("Redis failed {} ({}); reading the queues of connected devices every {} until it answers", what,
          error.getMessage(), pollInterval);
      unreachable = true;
    }
  }

  private static String nodeOf(String claim) {
    int slash = claim.indexOf('/');
    return slash < 0 ? claim : claim.substring(0, slash);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    subscription.close();
    connection.close();
    client.shutdown(0, 2, TimeUnit.SECONDS);
    client.getResources().shutdown(0, 2, TimeUnit.SECONDS);
  }
}
