package org.parley.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.parley.server.api.ApiException;
import org.parley.server.api.ApiResponse;
import org.parley.server.api.BodyCodec;
import org.parley.server.attachments.AttachmentService;
import org.parley.server.attachments.AttachmentUpload;
import org.parley.server.auth.AuthenticatedDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams {@code PUT /v1/attachments/{id}} bodies into the attachment store without aggregating them: it sits
 * before the HTTP aggregator and takes such requests out of the pipeline. Chunks are copied into buffers of
 * {@value #BUFFER_BYTES} bytes that are written on the attachment I/O executor while the next one fills; when
 * {@value #MAX_BUFFERS_IN_FLIGHT} are being written the connection stops reading (TCP pushes back on the client), so
 * an upload holds a few hundred KiB however large it is. The client must keep up {@code uploadMinRate} bytes per
 * second over every {@code uploadRateWindow}, or the upload is cut with 408 (a trickle cannot hold a connection).
 * Whatever arrived before an upload ends, for any reason, is stored durably and the upload can continue from there.
 * The connection is closed after every upload answer: one upload per connection keeps the states few.
 */
final class AttachmentUploadHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(AttachmentUploadHandler.class);
  static final int BUFFER_BYTES = 128 * 1024;
  static final int MAX_BUFFERS_IN_FLIGHT = 2;

  private enum Phase {
    /** No upload on this connection: everything passes through. */
    WAITING,
    /** Headers received; checking credentials and the slot. Body chunks that already arrived wait. */
    CHECKING,
    STREAMING,
    /** Body complete; storing and answering. */
    FINISHING,
    /** Answered or refused: anything else the client sends is dropped, and the connection closes. */
    DONE
  }

  /** How long a connection answered before its body arrived still reads (and drops) what the client sends. */
  private static final long LINGER_MILLIS = 2_000;

  private final ConnectionServices services;
  private final AttachmentService attachments;
  private final ArrayDeque<HttpContent> early = new ArrayDeque<>();
  private Phase phase = Phase.WAITING;
  private BodyCodec.Format format = BodyCodec.Format.PROTOBUF;
  private AttachmentUpload upload;
  /** Where the next body byte goes in the attachment. */
  private long position;
  private ByteBuf filling;
  private int buffersInFlight;
  private boolean paused;
  private boolean pausedThisWindow;
  private long bytesThisWindow;
  private ScheduledFuture<?> rateCheck;

  AttachmentUploadHandler(ConnectionServices services) {
    this.services = services;
    this.attachments = services.attachments();
  }

  /** The attachment id when {@code request} is an upload, else null. */
  static String uploadId(HttpRequest request) {
    if (!HttpMethod.PUT.equals(request.method())) {
      return null;
    }
    try {
      return HttpRequestHandler.attachmentId(new QueryStringDecoder(request.uri()).path());
    } catch (IllegalArgumentException badEscape) {
      return null; // answered with 400 by HttpRequestHandler
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    switch (phase) {
      case WAITING -> {
        String id = msg instanceof HttpRequest request && request.decoderResult().isSuccess() ? uploadId(request)
            : null;
        if (id == null) {
          ctx.fireChannelRead(msg);
        } else {
          begin(ctx, (HttpRequest) msg, id);
        }
      }
      case CHECKING -> {
        if (msg instanceof HttpContent content) {
          early.add(content);
        } else {
          ReferenceCountUtil.release(msg);
        }
      }
      case STREAMING -> {
        if (msg instanceof HttpContent content) {
          receive(ctx, content);
        } else {
          ReferenceCountUtil.release(msg);
        }
      }
      default -> ReferenceCountUtil.release(msg);
    }
  }

  private void begin(ChannelHandlerContext ctx, HttpRequest request, String id) {
    phase = Phase.CHECKING;
    ctx.channel().config().setAutoRead(false);
    String accept = request.headers().get(HttpHeaderNames.ACCEPT);
    format = accept != null && accept.contains("application/json") ? BodyCodec.Format.JSON
        : BodyCodec.Format.PROTOBUF;
    long declared = HttpUtil.getContentLength(request, -1L);
    OptionalLong contentLength = declared >= 0 ? OptionalLong.of(declared)
        : HttpUtil.isTransferEncodingChunked(request) ? OptionalLong.empty() : OptionalLong.of(0);
    String contentRange = request.headers().get(HttpHeaderNames.CONTENT_RANGE);
    String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    boolean expectContinue = HttpUtil.is100ContinueExpected(request);
    String remote = HttpRequestHandler.remoteAddress(ctx);
    CompletableFuture
        .supplyAsync(() -> authorization == null
            ? CompletableFuture.completedFuture(Optional.<AuthenticatedDevice>empty())
            : services.authenticator().authenticateHeader(authorization, remote), services.workers())
        .thenCompose(checked -> checked)
        .thenCompose(device -> device.isEmpty()
            ? CompletableFuture.failedFuture(ApiException.unauthorized())
            : attachments.beginUpload(device.get(), id, contentRange, contentLength, () -> ctx.channel().close()))
        .whenComplete((start, error) -> ctx.executor().execute(() -> started(ctx, start, error, expectContinue)));
  }

  private void started(ChannelHandlerContext ctx, AttachmentService.UploadStart start, Throwable error,
      boolean expectContinue) {
    if (!ctx.channel().isActive()) {
      if (start != null && start.upload() != null) {
        start.upload().abandon();
      }
      releaseEarly();
      phase = Phase.DONE;
      return;
    }
    if (error != null) {
      releaseEarly();
      answer(ctx, errorResponse(error));
      return;
    }
    if (start.upload() == null) {
      releaseEarly();
      answer(ctx, ApiResponse.ok(start.alreadyComplete()));
      return;
    }
    upload = start.upload();
    position = upload.bodyStart();
    phase = Phase.STREAMING;
    if (expectContinue) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    long windowMillis = services.attachmentLimits().uploadRateWindow().toMillis();
    rateCheck = ctx.executor().scheduleAtFixedRate(() -> checkRate(ctx), windowMillis, windowMillis,
        TimeUnit.MILLISECONDS);
    while (!early.isEmpty() && phase == Phase.STREAMING) {
      receive(ctx, early.poll());
    }
    releaseEarly();
    if (phase == Phase.STREAMING && !paused) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void receive(ChannelHandlerContext ctx, HttpContent content) {
    try {
      if (!content.decoderResult().isSuccess()) {
        refuse(ctx, ApiException.badRequest("malformed_request", "The request body is not valid HTTP: "
            + content.decoderResult().cause()));
        return;
      }
      ByteBuf data = content.content();
      int length = data.readableBytes();
      bytesThisWindow += length;
      if (position + length > upload.bodyEnd()) {
        refuse(ctx, new ApiException(413, "body_too_large", "The body goes past byte " + upload.bodyEnd()
            + (upload.bodyEnd() == upload.size() ? ", the size reserved for this attachment" : ", where it said it ends")
            + "; the bytes before were kept"));
        return;
      }
      // Bytes the server already has (the client resent from an older offset) are dropped.
      int skip = (int) Math.max(0, Math.min(length, upload.storedAtStart() - position));
      position += length;
      data.skipBytes(skip);
      while (data.isReadable()) {
        if (filling == null) {
          filling = ctx.alloc().directBuffer(BUFFER_BYTES, BUFFER_BYTES);
        }
        data.readBytes(filling, Math.min(data.readableBytes(), filling.writableBytes()));
        if (!filling.isWritable()) {
          writeFilled(ctx);
        }
      }
      if (content instanceof LastHttpContent) {
        finish(ctx);
      }
    } finally {
      content.release();
    }
  }

  private void writeFilled(ChannelHandlerContext ctx) {
    ByteBuf full = filling;
    filling = null;
    buffersInFlight++;
    if (buffersInFlight >= MAX_BUFFERS_IN_FLIGHT && !paused) {
      paused = true;
      pausedThisWindow = true;
      ctx.channel().config().setAutoRead(false);
    }
    upload.write(full).whenComplete((ok, error) -> ctx.executor().execute(() -> {
      buffersInFlight--;
      if (error != null) {
        if (phase == Phase.STREAMING) {
          log.warn("an attachment upload failed in the store: {}", rootCause(error).toString());
          refuse(ctx, new ApiException(500, "storage_failed", "The server could not store the attachment"));
        }
      } else if (paused && buffersInFlight < MAX_BUFFERS_IN_FLIGHT && phase == Phase.STREAMING) {
        paused = false;
        ctx.channel().config().setAutoRead(true);
      }
    }));
  }

  private void finish(ChannelHandlerContext ctx) {
    phase = Phase.FINISHING;
    stopRateCheck();
    ctx.channel().config().setAutoRead(false);
    if (filling != null && filling.isReadable()) {
      writeFilled(ctx);
    } else if (filling != null) {
      filling.release();
      filling = null;
    }
    upload.finish().whenComplete((status, error) -> ctx.executor().execute(() -> {
      phase = Phase.DONE;
      if (error != null) {
        answer(ctx, errorResponse(error));
      } else {
        answer(ctx, ApiResponse.ok(status));
      }
    }));
  }

  /** Ends the upload half way: keeps what arrived, answers {@code error}, closes. */
  private void refuse(ChannelHandlerContext ctx, ApiException error) {
    stop();
    answer(ctx, error.toResponse());
  }

  private void checkRate(ChannelHandlerContext ctx) {
    if (phase != Phase.STREAMING) {
      return;
    }
    long windowMillis = services.attachmentLimits().uploadRateWindow().toMillis();
    long minimum = services.attachmentLimits().uploadMinRate() * windowMillis / 1000;
    if (!paused && !pausedThisWindow && bytesThisWindow < minimum) {
      refuse(ctx, new ApiException(408, "upload_too_slow", "Fewer than " + minimum + " bytes arrived in "
          + windowMillis + " ms; the upload was cut. What arrived is kept: continue from GET "
          + "/v1/attachments/" + upload.id() + "/upload"));
      return;
    }
    bytesThisWindow = 0;
    pausedThisWindow = paused;
  }

  /** Abandons the upload (keeping what was written) and releases what this handler holds. */
  private void stop() {
    if (phase == Phase.STREAMING) {
      if (filling != null && filling.isReadable()) {
        upload.write(filling); // every byte that arrived is kept
        filling = null;
      }
      upload.abandon();
    }
    phase = Phase.DONE;
    stopRateCheck();
    if (filling != null) {
      filling.release();
      filling = null;
    }
    releaseEarly();
  }

  private void stopRateCheck() {
    if (rateCheck != null) {
      rateCheck.cancel(false);
      rateCheck = null;
    }
  }

  private void releaseEarly() {
    HttpContent content;
    while ((content = early.poll()) != null) {
      content.release();
    }
  }

  private void answer(ChannelHandlerContext ctx, ApiResponse response) {
    phase = Phase.DONE;
    FullHttpResponse http = HttpRequestHandler.toHttp(response, format);
    http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(http).addListener(written -> lingerThenClose(ctx));
  }

  /**
   * Closes after an answer that may come before the whole body did (an upload already complete, a refusal). Closing
   * at once while the client is still sending makes the kernel reset the connection, and the reset can destroy the
   * answer before the client reads it. So: end our side (FIN), read and drop what still arrives for a moment, then
   * close, as web servers' "lingering close" does. The moment is short and fixed, so it holds nothing for long.
   */
  private static void lingerThenClose(ChannelHandlerContext ctx) {
    Channel channel = ctx.channel();
    if (!channel.isActive()) {
      return;
    }
    if (channel instanceof DuplexChannel duplex) {
      duplex.shutdownOutput();
    }
    channel.config().setAutoRead(true);
    ctx.executor().schedule(() -> {
      channel.close();
    }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
  }

  private static ApiResponse errorResponse(Throwable error) {
    Throwable cause = rootCause(error);
    if (cause instanceof ApiException api) {
      return api.toResponse();
    }
    log.warn("an attachment upload failed: {}", cause.toString());
    return new ApiException(500, "storage_failed", "The server could not store the attachment").toResponse();
  }

  private static Throwable rootCause(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException
        || cause instanceof UncheckedIOException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (phase == Phase.STREAMING || phase == Phase.CHECKING) {
      stop();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent && phase != Phase.WAITING) {
      return; // an upload is governed by its rate check, and a store write may take a while
    }
    super.userEventTriggered(ctx, event);
  }
}
