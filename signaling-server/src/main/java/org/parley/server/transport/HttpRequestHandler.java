package org.parley.server.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.parley.protocol.Route;
import org.parley.server.api.ApiException;
import org.parley.server.api.ApiRequest;
import org.parley.server.api.ApiResponse;
import org.parley.server.api.BodyCodec;
import org.parley.server.attachments.AttachmentService;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.metrics.Readiness;
import org.parley.server.metrics.ResourceErrors;
import org.slf4j.LoggerFactory;

/**
 * Turns HTTP requests into {@link ApiRequest}s for the router, serves {@code /health} and {@code /ready} (metrics
 * are on the admin port), and upgrades authenticated {@code /v1/websocket} requests. Password checks run on the worker threads, never on the
 * network thread.
 *
 * <p>One request per connection is answered at a time. HTTP/1.1 lets a client pipeline requests, and answers must
 * come back in request order; handling them one after another keeps that order whichever handler is slower, and it
 * bounds what one connection can make the server work on at once. Requests that arrive meanwhile wait, at most
 * {@value #MAX_PIPELINED}, with reading paused; a connection that keeps pushing past that is closed.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final String WEBSOCKET_PATH = Route.WEBSOCKET.template();
  private static final String PROVISIONING_PATH = Route.PROVISIONING_WEBSOCKET.template();

  private final ConnectionServices services;
  private final boolean tls;
  /** The attachment download being sent on this connection, if any. */
  private DownloadPump download;
  /** Pipelined requests waiting for the answer in progress ({@link #answering} or a {@link #download}). */
  static final int MAX_PIPELINED = 16;

  private final ArrayDeque<FullHttpRequest> pipelined = new ArrayDeque<>();
  /** An answer that is not the body of a download is being prepared off the network thread. */
  private boolean answering;

  HttpRequestHandler(ConnectionServices services, boolean tls) {
    this.services = services;
    this.tls = tls;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (answering || download != null) {
      if (pipelined.size() >= MAX_PIPELINED) {
        LoggerFactory.getLogger(HttpRequestHandler.class)
            .debug("closing connection from {}: more than {} pipelined requests", remoteAddress(ctx), MAX_PIPELINED);
        ctx.close();
        return;
      }
      pipelined.add(request.retain());
      ctx.channel().config().setAutoRead(false);
      return;
    }
    handle(ctx, request);
  }

  /** The answer in progress is written: takes the next pipelined request, or reads again. Network thread only. */
  private void answered(ChannelHandlerContext ctx) {
    answering = false;
    while (!answering && download == null && ctx.channel().isActive()) {
      FullHttpRequest next = pipelined.poll();
      if (next == null) {
        if (ctx.pipeline().get(HttpRequestHandler.class) == this) {
          ctx.channel().config().setAutoRead(true);
        }
        return;
      }
      try {
        handle(ctx, next);
      } finally {
        next.release();
      }
    }
  }

  /** Starts an answer that completes later; {@link #answered} must follow on the network thread. */
  private void answerLater(ChannelHandlerContext ctx) {
    answering = true;
    ctx.channel().config().setAutoRead(false);
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      writeError(ctx, request, new ApiException(400, "malformed_request", "Malformed HTTP request"), true);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String path;
    try {
      path = uri.path();
    } catch (IllegalArgumentException badEscape) {
      writeError(ctx, request, new ApiException(400, "malformed_request",
          "The request path has an invalid percent-escape (a '%' must be followed by two hex digits)"), true);
      return;
    }
    String attachment = attachmentId(path);
    if (attachment != null && (HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method()))) {
      serveAttachment(ctx, request, attachment);
      return;
    }
    if (path.equals("/health")) {
      write(ctx, request, ApiResponse.raw(200, "text/plain", "ok\n".getBytes(StandardCharsets.UTF_8)),
          BodyCodec.Format.PROTOBUF);
    } else if (path.equals("/ready")) {
      // For the load balancer's health check (ADR 0152): the answer is what the readiness probe last saw.
      Readiness.Answer answer = services.readiness().answer();
      write(ctx, request, ApiResponse.raw(answer.ready() ? 200 : 503, "text/plain",
          (answer.reason() + "\n").getBytes(StandardCharsets.UTF_8)), BodyCodec.Format.PROTOBUF);
    } else if (path.equals(WEBSOCKET_PATH)) {
      upgrade(ctx, request, uri);
    } else if (path.equals(PROVISIONING_PATH)) {
      provisioning(ctx, request);
    } else {
      dispatch(ctx, request, uri);
    }
  }

  private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
    Map<String, String> headers = headers(request);
    byte[] body = ByteBufUtil.getBytes(request.content());
    BodyCodec.Format requestFormat = BodyCodec.Format.fromContentType(headers.get("content-type"));
    String accept = headers.get("accept");
    // Answer in the request's encoding unless the client names one it wants.
    BodyCodec.Format format = accept == null || accept.contains("*/*") ? requestFormat
        : BodyCodec.Format.fromContentType(accept);
    String authorization = headers.get("authorization");
    request.retain();
    answerLater(ctx);
    String remote = remoteAddress(ctx);
    CompletableFuture
        .supplyAsync(() -> authorization == null ? NO_CREDENTIALS
            : services.authenticator().authenticateHeader(authorization, remote), services.workers())
        .thenCompose(checked -> checked)
        .thenCompose(auth -> {
          if (auth != null && auth.isEmpty()) {
            return CompletableFuture.completedFuture(ApiException.unauthorized().toResponse());
          }
          ApiRequest apiRequest = new ApiRequest(request.method().name(), uri.path(), query(uri), headers, body,
              remoteAddress(ctx), auth == null ? Optional.empty() : auth, Optional.empty(), requestFormat);
          return services.router().dispatch(apiRequest);
        })
        .exceptionally(HttpRequestHandler::refusal)
        .whenComplete((response, error) -> ctx.executor().execute(() -> {
          try {
            if (error != null) {
              writeError(ctx, request, new ApiException(500, "internal_error", "The server could not complete the"
                  + " request"), false);
            } else {
              write(ctx, request, response, format);
            }
          } finally {
            request.release();
            answered(ctx);
          }
        }));
  }

  /** The id in {@code /v1/attachments/{id}}, or null for any other path. */
  static String attachmentId(String path) {
    List<String> segments = ApiRequest.splitPath(path);
    return segments.size() == 3 && segments.get(0).equals("v1") && segments.get(1).equals("attachments")
        && !segments.get(2).isEmpty() ? segments.get(2) : null;
  }

  /** {@code GET} (streamed, with ranges) and {@code HEAD /v1/attachments/{id}}; no credentials: the id is the key. */
  private void serveAttachment(ChannelHandlerContext ctx, FullHttpRequest request, String id) {
    boolean head = HttpMethod.HEAD.equals(request.method());
    String range = request.headers().get(HttpHeaderNames.RANGE);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    BodyCodec.Format format = BodyCodec.Format.fromContentType(request.headers().get(HttpHeaderNames.ACCEPT));
    answerLater(ctx);
    AttachmentService attachments = services.attachments();
    CompletableFuture.supplyAsync(() -> {
      try {
        return attachments.openDownload(id, range, !head);
      } catch (ApiException e) {
        throw new CompletionException(e);
      }
    }, attachments.io()).whenComplete((found, error) -> ctx.executor().execute(() -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        ApiException refusal = cause instanceof ApiException api ? api
            : new ApiException(500, "internal_error", "The server could not read the attachment");
        if (!(cause instanceof ApiException)) {
          LoggerFactory.getLogger(HttpRequestHandler.class).warn("attachment download failed", cause);
        }
        writeAttachmentAnswer(ctx, toHttp(refusal.toResponse(), format), keepAlive);
        answered(ctx);
        return;
      }
      if (found.unsatisfiable() != null) {
        FullHttpResponse refusal = toHttp(found.unsatisfiable().toResponse(), format);
        refusal.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + found.size());
        writeAttachmentAnswer(ctx, refusal, keepAlive);
        answered(ctx);
        return;
      }
      HttpResponseStatus status = found.range().partial() ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK;
      HttpHeaders headers = new DefaultHttpHeaders()
          .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
          .set(HttpHeaderNames.CONTENT_LENGTH, found.range().length())
          .set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
      if (found.range().partial()) {
        headers.set(HttpHeaderNames.CONTENT_RANGE, found.range().contentRange(found.size()));
      }
      if (head || !ctx.channel().isActive()) {
        try {
          found.bytes().close();
        } catch (IOException e) {
          LoggerFactory.getLogger(HttpRequestHandler.class).debug("closing a download: {}", e.toString());
        }
        found.done().run();
        FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER,
            headers, EmptyHttpHeaders.INSTANCE);
        writeAttachmentAnswer(ctx, answer, keepAlive);
        answered(ctx);
        return;
      }
      HttpUtil.setKeepAlive(headers, HttpVersion.HTTP_1_1, keepAlive);
      ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, headers));
      download = new DownloadPump(ctx, found, attachments.io(), attachments, complete -> {
        download = null;
        if (!complete || !keepAlive) {
          ctx.close();
        } else {
          answered(ctx);
        }
      });
      answering = false; // the download is now what the next request waits for
      download.start();
    }));
  }

  private static void writeAttachmentAnswer(ChannelHandlerContext ctx, FullHttpResponse answer, boolean keepAlive) {
    HttpUtil.setKeepAlive(answer, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(answer);
    } else {
      ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (download != null) {
      download.writabilityChanged();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (download != null) {
      download.abort();
    }
    releasePipelined();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releasePipelined(); // upgraded to a WebSocket: requests pipelined behind the upgrade have no one to answer them
  }

  private void releasePipelined() {
    FullHttpRequest waiting;
    while ((waiting = pipelined.poll()) != null) {
      waiting.release();
    }
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
    if (!"websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
      writeError(ctx, request, ApiException.badRequest("websocket_required",
          WEBSOCKET_PATH + " needs a WebSocket upgrade request"), true);
      return;
    }
    String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    Map<String, String> query = query(uri);
    request.retain();
    answerLater(ctx);
    String remote = remoteAddress(ctx);
    CompletableFuture
        .supplyAsync(() -> authorization != null
            ? services.authenticator().authenticateHeader(authorization, remote)
            : services.authenticator().authenticate(query.getOrDefault("login", ""), query.get("password"), remote),
            services.workers())
        .thenCompose(checked -> checked)
        .whenComplete((device, error) -> ctx.executor().execute(() -> {
          try {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                : error;
            if (cause instanceof ApiException refused) {
              writeError(ctx, request, refused, true);
            } else if (error != null || device.isEmpty()) {
              writeError(ctx, request, ApiException.unauthorized(), true);
            } else if (services.readiness().state() == Readiness.State.DRAINING) {
              // A connection that reached us before the listener closed: the client tries again, elsewhere.
              writeError(ctx, request, new ApiException(503, "draining",
                  "This server is shutting down; connect again"), true);
            } else {
              handshake(ctx, request, device.get());
            }
          } finally {
            request.release();
            answered(ctx);
          }
        }));
  }

  /** The unauthenticated provisioning socket of a device that is about to be linked. */
  private void provisioning(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!"websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
      writeError(ctx, request, ApiException.badRequest("websocket_required",
          PROVISIONING_PATH + " needs a WebSocket upgrade request"), true);
      return;
    }
    try {
      services.provisioning().admit(remoteAddress(ctx));
    } catch (ApiException tooMany) {
      writeError(ctx, request, tooMany, true);
      return;
    }
    String location = (tls ? "wss://" : "ws://") + request.headers().get(HttpHeaderNames.HOST) + PROVISIONING_PATH;
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(location, null, false, 64 * 1024).newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    ProvisioningSocket socket = new ProvisioningSocket(ctx.channel(), handshaker, services.provisioning(),
        services.provisioningLifetimeMillis());
    handshaker.handshake(ctx.channel(), request).addListener(done -> {
      if (done.isSuccess()) {
        ctx.pipeline().addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(64 * 1024));
        removeHttpOnlyHandlers(ctx);
        ctx.pipeline().replace(this, "provisioning", socket);
        socket.opened();
      } else {
        ctx.close();
      }
    });
  }

  private void handshake(ChannelHandlerContext ctx, FullHttpRequest request, AuthenticatedDevice device) {
    String location = (tls ? "wss://" : "ws://") + request.headers().get(HttpHeaderNames.HOST) + WEBSOCKET_PATH;
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(location, null, false, services.maxFrameBytes()).newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    WebSocketConnection connection = new WebSocketConnection(ctx.channel(), handshaker, device, services);
    // Known before the client sees the 101, so a shutdown that starts right after still says goodbye properly.
    services.openConnections().add(connection);
    handshaker.handshake(ctx.channel(), request).addListener(done -> {
      if (done.isSuccess()) {
        ctx.pipeline().addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(services.maxFrameBytes()));
        removeHttpOnlyHandlers(ctx);
        ctx.pipeline().replace(this, "websocket", connection);
        connection.opened();
      } else {
        services.openConnections().remove(connection);
        ctx.close();
      }
    });
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      // A download reads nothing from the client: it is idle only when the client stopped taking bytes too.
      if (download != null
          && System.nanoTime() - download.lastProgressNanos() < TimeUnit.SECONDS.toNanos(services.idleSeconds())) {
        return;
      }
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  private static void removeHttpOnlyHandlers(ChannelHandlerContext ctx) {
    for (String httpOnly : new String[] {NettyServer.UPLOADS, NettyServer.GUARD}) {
      if (ctx.pipeline().get(httpOnly) != null) {
        ctx.pipeline().remove(httpOnly);
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets, failed TLS handshakes and the like end one connection; running out of memory is the server's trouble.
    ResourceErrors.report(LoggerFactory.getLogger(HttpRequestHandler.class), services.metrics(),
        "closing connection from " + remoteAddress(ctx), cause);
    ctx.close();
  }

  /** No Authorization header: the route decides whether it needs one. */
  private static final CompletableFuture<Optional<AuthenticatedDevice>> NO_CREDENTIALS =
      CompletableFuture.completedFuture(null);

  /** A refused login (429 for a network out of failed logins, 503 for saturated checks) as its answer. */
  private static ApiResponse refusal(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof ApiException api) {
      return api.toResponse();
    }
    throw error instanceof CompletionException completion ? completion : new CompletionException(cause);
  }

  private static Map<String, String> headers(FullHttpRequest request) {
    Map<String, String> headers = new HashMap<>();
    request.headers().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
    return headers;
  }

  private static Map<String, String> query(QueryStringDecoder uri) {
    Map<String, String> query = new HashMap<>();
    for (Map.Entry<String, List<String>> e : uri.parameters().entrySet()) {
      if (!e.getValue().isEmpty()) {
        query.put(e.getKey(), e.getValue().get(0));
      }
    }
    return query;
  }

  static String remoteAddress(ChannelHandlerContext ctx) {
    return ClientAddress.text(ctx.channel());
  }

  private static void writeError(ChannelHandlerContext ctx, FullHttpRequest request, ApiException error,
      boolean close) {
    BodyCodec.Format format = BodyCodec.Format.fromContentType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
    FullHttpResponse response = toHttp(error.toResponse(), format);
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      write(ctx, request, response);
    }
  }

  private static void write(ChannelHandlerContext ctx, FullHttpRequest request, ApiResponse response,
      BodyCodec.Format format) {
    write(ctx, request, toHttp(response, format));
  }

  private static void write(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  static FullHttpResponse toHttp(ApiResponse response, BodyCodec.Format format) {
    byte[] body;
    String contentType;
    if (response.rawBody() != null) {
      body = response.rawBody();
      contentType = response.contentType();
    } else if (response.body() != null) {
      body = BodyCodec.encode(response.body(), format);
      contentType = format.contentType();
    } else {
      body = new byte[0];
      contentType = null;
    }
    FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(body));
    if (contentType != null) {
      http.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    response.headers().forEach((name, value) -> http.headers().set(name, value));
    http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return http;
  }
}
