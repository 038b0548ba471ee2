package org.parley.server.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.protocol.Route;
import org.parley.protocol.WebSocketMessage;
import org.parley.protocol.WebSocketRequest;
import org.parley.protocol.WebSocketResponse;
import org.parley.server.api.ApiRequest;
import org.parley.server.api.ApiResponse;
import org.parley.server.api.BodyCodec;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.connections.ClientConnection;
import org.parley.server.metrics.ResourceErrors;
import org.parley.server.storage.DeviceAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated device's WebSocket. Requests from the client go to the same router as HTTP; requests from the
 * server (deliveries, "queue empty", presence) wait for the client's answer by id.
 *
 * <p>Back-pressure (issue #17, finding 1): the client's requests are read only while fewer than
 * {@value #MAX_REQUESTS_IN_FLIGHT} of them await their answers and while the connection can take more output
 * (Netty's write-buffer high-water mark); a client that stops reading its answers therefore stops being read, and
 * its pings cannot pile up pongs. Ephemeral pushes are dropped, not buffered, for such a client, and one that stays
 * backed up for the idle timeout is cut off without waiting for its close frame to get through.
 */
final class WebSocketConnection extends ChannelInboundHandlerAdapter implements ClientConnection {

  private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

  private final Channel channel;
  private final WebSocketServerHandshaker handshaker;
  private final AuthenticatedDevice device;
  private final ConnectionServices services;
  private final AtomicLong nextRequestId = new AtomicLong(1);
  private final Map<Long, CompletableFuture<Integer>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger requestsInFlight = new AtomicInteger();
  private volatile boolean closing;
  /** Set by {@link #drain}: no more reading, no more pushes; the close follows the last answer. */
  private volatile boolean draining;
  private volatile int drainCode;
  private volatile String drainReason;
  /** Counts the times the connection became unwritable, so a cut-off check knows whether it is still the same spell. */
  private long backedUpSpells;

  /** The client's requests being handled at once; more wait in the socket. */
  static final int MAX_REQUESTS_IN_FLIGHT = 32;
  /** How long a close frame may take to get out before the connection is closed without it. */
  private static final long CLOSE_GRACE_MILLIS = 5_000;

  WebSocketConnection(Channel channel, WebSocketServerHandshaker handshaker, AuthenticatedDevice device,
      ConnectionServices services) {
    this.channel = channel;
    this.handshaker = handshaker;
    this.device = device;
    this.services = services;
  }

  void opened() {
    services.workers().execute(() -> {
      services.presence().connected(device.address());
      services.delivery().connected(this);
    });
  }

  @Override
  public DeviceAddress device() {
    return device.address();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    WebSocketFrame frame = (WebSocketFrame) msg;
    try {
      if (frame instanceof BinaryWebSocketFrame binary) {
        onBinary(binary.content());
      } else if (frame instanceof PingWebSocketFrame) {
        if (channel.isWritable()) { // a backed-up client's pings go unanswered (it is not reading them anyway)
          ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        }
      } else if (frame instanceof PongWebSocketFrame) {
        // keep-alive answer; reading it was enough
      } else if (frame instanceof CloseWebSocketFrame close) {
        if (draining && closing) {
          // The client's answer to our 1001: the handshake is complete, nothing is left unread.
          channel.close();
          return;
        }
        closing = true;
        handshaker.close(channel, close.retain());
      } else {
        services.metrics().malformedFrame();
        close(WebSocketCloseStatus.INVALID_MESSAGE_TYPE.code(), "Only binary WebSocketMessage frames are accepted");
      }
    } finally {
      frame.release();
    }
  }

  private void onBinary(ByteBuf content) {
    WebSocketMessage message;
    try {
      message = WebSocketMessage.parseFrom(content.nioBuffer());
    } catch (InvalidProtocolBufferException e) {
      services.metrics().malformedFrame();
      close(WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code(), "Frame is not a WebSocketMessage");
      return;
    }
    switch (message.getType()) {
      case REQUEST -> onRequest(message.getRequest());
      case RESPONSE -> {
        CompletableFuture<Integer> waiting = pending.remove(message.getResponse().getId());
        if (waiting != null) {
          waiting.complete(message.getResponse().getStatus());
        }
      }
      default -> {
        services.metrics().malformedFrame();
        close(WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code(), "WebSocketMessage needs type REQUEST or RESPONSE");
      }
    }
  }

  private void onRequest(WebSocketRequest request) {
    if (draining) {
      // Read (so the socket closes cleanly, not with a reset that would lose our 1001) but never handled: the
      // client's request fails when the connection closes, and it sends it again after reconnecting.
      return;
    }
    Map<String, String> headers = new HashMap<>();
    for (String line : request.getHeadersList()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
    }
    String path = request.getPath();
    int q = path.indexOf('?');
    Map<String, String> query = new HashMap<>();
    if (q >= 0) {
      new QueryStringDecoder(path).parameters()
          .forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
      path = path.substring(0, q);
    }
    ApiRequest apiRequest = new ApiRequest(request.getVerb().toUpperCase(Locale.ROOT), path, query, headers,
        request.getBody().toByteArray(), remoteAddress(), Optional.of(device), Optional.of(this),
        BodyCodec.Format.PROTOBUF);
    long id = request.getId();
    if (requestsInFlight.incrementAndGet() >= MAX_REQUESTS_IN_FLIGHT) {
      updateReading();
    }
    services.router().dispatch(apiRequest).thenAccept(response -> {
      respond(id, response);
      int left = requestsInFlight.decrementAndGet();
      if (draining && left == 0) {
        // After the answer's write in the event loop's queue: the answer goes out before the close frame.
        channel.eventLoop().execute(this::closeIfDrained);
      } else if (left == MAX_REQUESTS_IN_FLIGHT - 1) {
        updateReading();
      }
    });
  }

  /**
   * Reads from the client only while it has room for answers and requests to spare; while draining, always (what is
   * read then is not handled, and unread bytes would turn the close into a reset).
   */
  private void updateReading() {
    channel.eventLoop().execute(() -> channel.config()
        .setAutoRead(draining || channel.isWritable() && requestsInFlight.get() < MAX_REQUESTS_IN_FLIGHT));
  }

  /**
   * The server shuts down (ADR 0152): handles no new request from the client (what it sends from now on is read
   * and dropped, so its send fails and it retries after reconnecting), pushes nothing more to it (what waits stays
   * queued for its next connection), answers the requests already being handled, then sends {@code code} and closes
   * when the client answers it (or after a grace). A request handled here therefore either gets its answer or was
   * never handled. Acknowledgements of earlier pushes are still read and applied. Any thread; idempotent.
   */
  @Override
  public void drain(int code, String reason) {
    channel.eventLoop().execute(() -> {
      if (draining || closing) {
        return;
      }
      drainCode = code;
      drainReason = reason;
      draining = true;
      channel.config().setAutoRead(true);
      closeIfDrained();
    });
  }

  /** On the event loop: frames already read in this batch have been handled, so the count is final unless > 0. */
  private void closeIfDrained() {
    if (draining && !closing && requestsInFlight.get() == 0) {
      closing = true;
      // Not closed on write: the socket stays open (and read) until the client answers the close.
      channel.writeAndFlush(new CloseWebSocketFrame(drainCode, drainReason));
      channel.eventLoop().schedule(() -> {
        if (channel.isActive()) {
          channel.close();
        }
      }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    updateReading();
    if (!channel.isWritable()) {
      long spell = ++backedUpSpells;
      // Still backed up after the idle timeout: the client is not reading; nothing sent to it will arrive.
      ctx.executor().schedule(() -> {
        if (!channel.isWritable() && backedUpSpells == spell && channel.isActive()) {
          log.debug("closing WebSocket of {}: not reading for {} s", device.address(), services.idleSeconds());
          channel.close();
        }
      }, services.idleSeconds(), TimeUnit.SECONDS);
    }
    super.channelWritabilityChanged(ctx);
  }

  private void respond(long id, ApiResponse response) {
    WebSocketResponse.Builder answer = WebSocketResponse.newBuilder()
        .setId(id)
        .setStatus(response.status())
        .setMessage(reason(response.status()));
    response.headers().forEach((name, value) -> answer.addHeaders(name + ": " + value));
    if (response.body() != null) {
      answer.setBody(response.body().toByteString());
    } else if (response.rawBody() != null) {
      answer.setBody(ByteString.copyFrom(response.rawBody()));
    }
    write(WebSocketMessage.newBuilder().setType(WebSocketMessage.Type.RESPONSE).setResponse(answer).build());
  }

  @Override
  public Executor executor() {
    return channel.eventLoop();
  }

  @Override
  public CompletableFuture<Integer> request(Route route, byte[] body) {
    if (route.direction() != Route.Direction.TO_CLIENT) {
      throw new IllegalArgumentException(route + " is " + route.direction() + ", not pushed to a device");
    }
    long id = nextRequestId.getAndIncrement();
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    if (closing || draining || !channel.isActive()) {
      answer.completeExceptionally(new IllegalStateException("connection closed"));
      return answer;
    }
    pending.put(id, answer);
    write(WebSocketMessage.newBuilder()
        .setType(WebSocketMessage.Type.REQUEST)
        .setRequest(WebSocketRequest.newBuilder().setId(id).setVerb(route.verb()).setPath(route.template())
            // The caller never changes the array after handing it over: no need to copy it.
            .setBody(UnsafeByteOperations.unsafeWrap(body)))
        .build());
    if (!channel.isActive()) {
      failPending();
    }
    return answer;
  }

  @Override
  public boolean pushIfReady(Route route, byte[] body) {
    if (route.direction() != Route.Direction.TO_CLIENT) {
      throw new IllegalArgumentException(route + " is " + route.direction() + ", not pushed to a device");
    }
    if (closing || draining || !channel.isActive() || !channel.isWritable()) {
      return false;
    }
    // No entry in pending: the client's answer to a push nobody waits for is read and dropped.
    write(WebSocketMessage.newBuilder()
        .setType(WebSocketMessage.Type.REQUEST)
        .setRequest(WebSocketRequest.newBuilder().setId(nextRequestId.getAndIncrement()).setVerb(route.verb())
            .setPath(route.template()).setBody(UnsafeByteOperations.unsafeWrap(body)))
        .build());
    return true;
  }

  @Override
  public int pendingRequests() {
    return pending.size();
  }

  private void write(WebSocketMessage message) {
    channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message.toByteArray())));
  }

  @Override
  public void close(int code, String reason) {
    closing = true;
    channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    // The close frame waits behind whatever the client has not read; a client that reads nothing never gets it.
    channel.eventLoop().schedule(() -> {
      if (channel.isActive()) {
        channel.close();
      }
    }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    services.openConnections().remove(this);
    failPending();
    services.workers().execute(() -> {
      services.delivery().disconnected(this);
      services.presence().unsubscribeAll(this);
      services.presence().disconnected(device.address());
    });
    ctx.fireChannelInactive();
  }

  private void failPending() {
    IllegalStateException closed = new IllegalStateException("connection closed");
    pending.values().removeIf(f -> f.completeExceptionally(closed) || true);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), "Idle for too long; send keep-alive pings");
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      // A fragmented message whose parts add up to more than the cap.
      services.metrics().malformedFrame();
      close(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "Message larger than " + services.maxFrameBytes() + " bytes");
      return;
    }
    if (cause instanceof CorruptedWebSocketFrameException || cause instanceof CorruptedFrameException) {
      // The frame decoder has already sent its close frame (1009 for an oversize frame, 1002 otherwise).
      services.metrics().malformedFrame();
      ctx.close();
      return;
    }
    ResourceErrors.report(log, services.metrics(), "closing WebSocket of " + device.address() + " after error", cause);
    ctx.close();
  }

  private String remoteAddress() {
    return ClientAddress.text(channel);
  }

  private static String reason(int status) {
    return HttpResponseStatus.valueOf(status).reasonPhrase();
  }

  @Override
  public String toString() {
    return "WebSocketConnection[" + device.address() + "]";
  }
}
