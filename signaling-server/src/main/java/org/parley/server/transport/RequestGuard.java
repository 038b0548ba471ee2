package org.parley.server.transport;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.server.api.ApiException;
import org.parley.server.api.BodyCodec;

/**
 * Bounds what a request can hold before it is whole (issue #17, finding 2: half-sent bodies pinned a MiB each, and
 * the idle timer restarted on every byte). Sits in front of the aggregator, behind the attachment upload handler
 * (uploads stream to disk under their own rate rule):
 * <ul>
 *   <li>a request's head and body must arrive within the request timeout, however slowly each byte comes: else 408;
 *   <li>a request without credentials may carry at most {@value #UNAUTHENTICATED_BODY} bytes (registration, linking
 *       and verification bodies are a few kB): else 413 before the body is read;
 *   <li>all connections together hold at most {@link #BODY_BUDGET} bytes of unfinished bodies: a request that would
 *       go past it gets 503 (credentials cannot be checked before the body arrives, so a claimed Authorization
 *       header earns the larger per-request cap only within this budget).
 * </ul>
 */
final class RequestGuard extends ChannelInboundHandlerAdapter {

  static final int UNAUTHENTICATED_BODY = 64 * 1024;
  static final long BODY_BUDGET = 64L << 20;

  /** Bytes of unfinished request bodies across the server. */
  static final class Budget {
    private final AtomicLong held = new AtomicLong();
    private final long max;

    Budget(long max) {
      this.max = max;
    }

    boolean take(long bytes) {
      while (true) {
        long now = held.get();
        if (now + bytes > max) {
          return false;
        }
        if (held.compareAndSet(now, now + bytes)) {
          return true;
        }
      }
    }

    void give(long bytes) {
      held.addAndGet(-bytes);
    }

    long held() {
      return held.get();
    }
  }

  private final long timeoutMillis;
  private final int authenticatedBody;
  private final Budget budget;
  private ScheduledFuture<?> deadline;
  private long limit;
  private long held;
  private boolean refused;

  RequestGuard(long timeoutMillis, int authenticatedBody, Budget budget) {
    this.timeoutMillis = timeoutMillis;
    this.authenticatedBody = authenticatedBody;
    this.budget = budget;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest head) {
      startRequest(ctx, head);
      if (refused) {
        ReferenceCountUtil.release(msg);
        return;
      }
    }
    if (msg instanceof HttpContent content) {
      int bytes = content.content().readableBytes();
      if (held + bytes > limit) {
        ReferenceCountUtil.release(msg);
        refuse(ctx, new ApiException(413, "payload_too_large", "Request bodies without credentials have at most "
            + UNAUTHENTICATED_BODY + " bytes; with credentials " + authenticatedBody));
        return;
      }
      if (!budget.take(bytes)) {
        ReferenceCountUtil.release(msg);
        refuse(ctx, ApiException.unavailable("busy", "The server is receiving too many request bodies right now;"
            + " try again shortly", 1));
        return;
      }
      held += bytes;
      if (msg instanceof LastHttpContent) {
        endRequest();
      }
    }
    ctx.fireChannelRead(msg);
  }

  private void startRequest(ChannelHandlerContext ctx, HttpRequest head) {
    endRequest();
    limit = head.headers().contains(HttpHeaderNames.AUTHORIZATION) ? authenticatedBody : UNAUTHENTICATED_BODY;
    long declared = HttpUtil.getContentLength(head, -1L);
    if (declared > limit) {
      refuse(ctx, new ApiException(413, "payload_too_large", "A body of " + declared + " bytes is over the limit of "
          + limit + (limit == UNAUTHENTICATED_BODY ? " for requests without credentials" : "")));
      return;
    }
    deadline = ctx.executor().schedule(() -> refuse(ctx, new ApiException(408, "request_timeout",
        "The request did not arrive whole within " + timeoutMillis / 1000 + " s")), timeoutMillis,
        TimeUnit.MILLISECONDS);
  }

  /** The request is whole (or abandoned): its body leaves the budget (the aggregated request is handed on). */
  private void endRequest() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
    budget.give(held);
    held = 0;
  }

  private void refuse(ChannelHandlerContext ctx, ApiException why) {
    if (refused) {
      return;
    }
    refused = true;
    endRequest();
    FullHttpResponse answer = HttpRequestHandler.toHttp(why.toResponse(), BodyCodec.Format.JSON);
    answer.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    // Straight to the codec: the handlers behind us may hold half a request.
    ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    endRequest();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    endRequest(); // became a WebSocket
  }
}
