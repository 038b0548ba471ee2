package org.parley.client.internal.net;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;
import org.parley.protocol.Route;
import org.parley.protocol.WebSocketMessage;
import org.parley.protocol.WebSocketRequest;
import org.parley.protocol.WebSocketResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's WebSocket: authenticated upgrade at {@link Route#WEBSOCKET}, WebSocketMessage frames both ways,
 * keep-alive pings, and reconnection with jittered exponential backoff until {@link #close} — or until the server
 * says the credentials are no longer valid (4401) or another connection replaced this device's (4001). Built when
 * the client opens; the listener is given to {@link #start}, since what it does (revoking, closing this transport)
 * needs the transport to exist first.
 */
public final class WebSocketTransport implements AutoCloseable {

  /** What the server sends us. Called on the transport's reader thread, in order. */
  public interface Listener {
    /** A server request (message, queue empty, presence); return the status to answer with. */
    int request(WebSocketRequest request);

    /**
     * As {@link #request(WebSocketRequest)}, but the listener may keep {@code reply} and return
     * {@link #ANSWERED_LATER}, answering through it from another thread (the inbox answers after its batch commits).
     */
    default int request(WebSocketRequest request, Reply reply) {
      return request(request);
    }

    void connected();

    /**
     * Lost the connection (or never got it: {@code wasOpen} false, e.g. the upgrade was refused); {@code permanent}
     * means no reconnection will be attempted.
     */
    void disconnected(int code, String reason, boolean permanent, boolean wasOpen);
  }

  /** What {@link Listener#request(WebSocketRequest, Reply)} returns when it will answer through the reply. */
  public static final int ANSWERED_LATER = -1;

  /**
   * The answer to one pushed request, on the connection that carried it: when that connection has closed meanwhile
   * the answer is dropped (the server delivers unanswered requests again on the next connection).
   */
  @FunctionalInterface
  public interface Reply {
    /** Answers with {@code status}; any thread, at most once. */
    void send(int status);
  }

  public static final int CLOSE_REPLACED = 4001;
  public static final int CLOSE_CREDENTIALS_REVOKED = 4401;
  /** The server drains (shutdown, rolling upgrade): reconnect at once, through the balancer, to another server. */
  public static final int CLOSE_GOING_AWAY = 1001;
  /** Clients told to go away together come back spread over this much time. */
  static final Duration GOING_AWAY_SPREAD = Duration.ofSeconds(2);
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);

  private final URI endpoint;
  private final Supplier<SSLContext> tls;
  private final Supplier<Credentials> credentials;
  private volatile Listener listener;
  private final ScheduledExecutorService scheduler;
  private final Backoff backoff;
  private final int keepAliveSeconds;
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong requestIds = new AtomicLong();
  private final Map<Long, CompletableFuture<WebSocketResponse>> pending = new ConcurrentHashMap<>();
  private volatile Connection current;
  private volatile boolean closed;
  private volatile boolean stopped;
  private int attempt;

  public WebSocketTransport(URI httpBase, Supplier<SSLContext> tls, Supplier<Credentials> credentials,
      ScheduledExecutorService scheduler, Backoff backoff, Duration keepAlive) {
    String scheme = httpBase.getScheme().equalsIgnoreCase("https") ? "wss" : "ws";
    this.endpoint = URI.create(scheme + "://" + httpBase.getRawAuthority() + Route.WEBSOCKET.path());
    this.tls = tls;
    this.credentials = credentials;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.keepAliveSeconds = (int) Math.max(1, keepAlive.toSeconds());
  }

  /** Connects, telling {@code listener} what happens from now on; once (later calls change nothing). */
  public synchronized void start(Listener listener) {
    if (current == null && !closed) {
      this.listener = listener;
      connectNow();
    }
  }

  public boolean isConnected() {
    Connection c = current;
    return c != null && c.isOpen();
  }

  /** Whether the transport gave up for good (credentials revoked, replaced, or closed). */
  public boolean stopped() {
    return stopped || closed;
  }

  /** Whether {@link #close} was called. */
  public boolean closed() {
    return closed;
  }

  /**
   * Sends a request for {@code route} over the WebSocket; the future completes with the response, or fails if
   * disconnected.
   */
  public CompletableFuture<WebSocketResponse> request(Route route, byte[] body, Object... pathParameters) {
    String verb = route.verb();
    String path = route.path(pathParameters);
    Connection c = current;
    CompletableFuture<WebSocketResponse> future = new CompletableFuture<>();
    if (c == null || !c.isOpen()) {
      future.completeExceptionally(new IllegalStateException("not connected"));
      return future;
    }
    long id = requestIds.incrementAndGet();
    pending.put(id, future);
    WebSocketRequest.Builder request = WebSocketRequest.newBuilder().setId(id).setVerb(verb).setPath(path);
    if (body != null) {
      request.setBody(ByteString.copyFrom(body));
    }
    try {
      c.send(WebSocketMessage.newBuilder().setType(WebSocketMessage.Type.REQUEST).setRequest(request).build()
          .toByteArray());
    } catch (RuntimeException e) {
      pending.remove(id);
      future.completeExceptionally(e);
    }
    future.orTimeout(30, TimeUnit.SECONDS).whenComplete((r, e) -> pending.remove(id));
    return future;
  }

  private synchronized void connectNow() {
    if (closed) {
      return;
    }
    Connection connection = new Connection();
    current = connection;
    connection.connect();
  }

  private synchronized void scheduleReconnect(int closeCode) {
    if (closed || stopped) {
      return;
    }
    // A going-away is no failure: the first attempt is spread, not backed off; later ones back off as usual.
    Duration delay = closeCode == CLOSE_GOING_AWAY && attempt == 0 ? Backoff.spread(GOING_AWAY_SPREAD, random)
        : backoff.delay(attempt, random);
    attempt++;
    log.debug("reconnecting in {} ms", delay.toMillis());
    scheduler.schedule(this::connectNow, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    closed = true;
    Connection c = current;
    if (c != null) {
      // Not closeBlocking(): a server that never answers the handshake would hold us here forever.
      c.close();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (!c.isClosed() && System.nanoTime() < deadline) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private final class Connection extends WebSocketClient {

    private volatile boolean opened;

    Connection() {
      super(endpoint, new Draft_6455(),
          Map.of("Authorization", credentials.get().basicAuthorization()), CONNECT_TIMEOUT_MILLIS);
      setConnectionLostTimeout(keepAliveSeconds);
      setTcpNoDelay(true);
      if (endpoint.getScheme().equals("wss")) {
        setSocketFactory(tls.get().getSocketFactory());
      }
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
      opened = true;
      synchronized (WebSocketTransport.this) {
        attempt = 0;
      }
      log.debug("connected to {}", endpoint);
      listener.connected();
    }

    @Override
    public void onMessage(String message) {
      log.warn("ignoring a text frame from the server");
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
      WebSocketMessage message;
      try {
        message = WebSocketMessage.parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        log.warn("ignoring a frame that is not a WebSocketMessage");
        return;
      }
      if (message.getType() == WebSocketMessage.Type.RESPONSE) {
        CompletableFuture<WebSocketResponse> future = pending.remove(message.getResponse().getId());
        if (future != null) {
          future.complete(message.getResponse());
        }
        return;
      }
      if (message.getType() == WebSocketMessage.Type.REQUEST) {
        WebSocketRequest request = message.getRequest();
        int status;
        try {
          status = listener.request(request, answer -> answer(request.getId(), answer));
        } catch (RuntimeException e) {
          log.warn("handling {} {} failed", request.getVerb(), request.getPath(), e);
          status = 500;
        }
        if (status > 0) {
          answer(request.getId(), status);
        }
      }
    }

    private void answer(long requestId, int status) {
      if (status <= 0 || !isOpen()) {
        return;
      }
      try {
        send(WebSocketMessage.newBuilder().setType(WebSocketMessage.Type.RESPONSE)
            .setResponse(WebSocketResponse.newBuilder().setId(requestId).setStatus(status)
                .setMessage(status == 200 ? "OK" : "Error"))
            .build().toByteArray());
      } catch (RuntimeException closedMeanwhile) {
        log.debug("could not answer request {}: {}", requestId, closedMeanwhile.toString());
      }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      boolean permanent = closed || code == CLOSE_REPLACED || code == CLOSE_CREDENTIALS_REVOKED
          || reason != null && reason.contains("401");
      if (code == CLOSE_REPLACED || code == CLOSE_CREDENTIALS_REVOKED || reason != null && reason.contains("401")) {
        stopped = true;
      }
      for (CompletableFuture<WebSocketResponse> future : pending.values()) {
        future.completeExceptionally(new IllegalStateException("connection closed"));
      }
      pending.clear();
      log.debug("connection closed: {} {} (remote {})", code, reason, remote);
      listener.disconnected(code, reason == null ? "" : reason, permanent, opened);
      if (!permanent && current == this) {
        scheduleReconnect(code);
      }
    }

    @Override
    public void onError(Exception e) {
      log.debug("WebSocket error: {}", e.toString());
    }
  }
}
