package org.parley.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.parley.server.attachments.AttachmentService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the body of an attachment download: reads {@value #CHUNK_BYTES} bytes at a time from the store on the I/O
 * executor (a store read may block, a network thread must not) and writes them while the connection is writable.
 * A client that stops reading fills its socket and Netty's outbound buffer; then nothing more is read until it
 * drains, so a download holds at most one chunk plus the high-water mark, however large the attachment.
 */
final class DownloadPump {

  private static final Logger log = LoggerFactory.getLogger(DownloadPump.class);
  static final int CHUNK_BYTES = 128 * 1024;
  /**
   * While a download runs the connection counts as writable up to 512 KiB queued (Netty's default is 64 KiB): a
   * few chunks in flight keep the socket busy while the next one is read, still a bounded amount per download.
   */
  private static final WriteBufferWaterMark DOWNLOAD_MARKS = new WriteBufferWaterMark(256 * 1024, 512 * 1024);

  private final ChannelHandlerContext ctx;
  private final AttachmentService.Download download;
  private final Executor io;
  private final AttachmentService attachments;
  private final Consumer<Boolean> ended;
  private final WriteBufferWaterMark usualMarks;
  private long remaining;
  private boolean reading;
  private boolean finished;
  private volatile long lastProgressNanos = System.nanoTime();

  /** @param ended called once on the network thread: true when every byte was written */
  DownloadPump(ChannelHandlerContext ctx, AttachmentService.Download download, Executor io,
      AttachmentService attachments, Consumer<Boolean> ended) {
    this.ctx = ctx;
    this.download = download;
    this.io = io;
    this.attachments = attachments;
    this.ended = ended;
    this.remaining = download.range().length();
    this.usualMarks = ctx.channel().config().getWriteBufferWaterMark();
  }

  void start() {
    ctx.channel().config().setWriteBufferWaterMark(DOWNLOAD_MARKS);
    if (remaining == 0) {
      ctx.writeAndFlush(new DefaultLastHttpContent());
      end(true);
      return;
    }
    readNext();
  }

  /** Nanos of the last chunk the socket took, for the idle check. */
  long lastProgressNanos() {
    return lastProgressNanos;
  }

  void writabilityChanged() {
    if (!finished && !reading && remaining > 0 && ctx.channel().isWritable()) {
      readNext();
    }
  }

  /** The connection closed under the download. */
  void abort() {
    if (!finished) {
      end(false);
    }
  }

  private void readNext() {
    reading = true;
    int length = (int) Math.min(CHUNK_BYTES, remaining);
    io.execute(() -> {
      ByteBuf chunk = ctx.alloc().ioBuffer(length, length);
      try {
        // Straight into the (direct) network buffer: for a file, one copy from the page cache.
        ByteBuffer target = chunk.nioBuffer(0, length);
        while (target.hasRemaining()) {
          if (download.bytes().read(target) < 0) {
            throw new EOFException("the stored attachment ended " + (remaining - target.position())
                + " bytes early");
          }
        }
        chunk.writerIndex(length);
        ctx.executor().execute(() -> send(chunk));
      } catch (IOException | RuntimeException e) {
        chunk.release();
        ctx.executor().execute(() -> {
          log.warn("reading an attachment for download failed: {}", e.toString());
          // The status line is out already: cutting the connection is the only way to say the body is incomplete.
          ctx.close();
          abort();
        });
      }
    });
  }

  private void send(ByteBuf chunk) {
    reading = false;
    if (finished) {
      chunk.release();
      return;
    }
    int length = chunk.readableBytes();
    remaining -= length;
    boolean last = remaining == 0;
    HttpContent content = last ? new DefaultLastHttpContent(chunk) : new DefaultHttpContent(chunk);
    ctx.writeAndFlush(content).addListener(done -> {
      if (!done.isSuccess()) {
        abort();
        return;
      }
      lastProgressNanos = System.nanoTime();
      attachments.downloaded(length);
      if (last) {
        end(true);
      }
    });
    if (!last && ctx.channel().isWritable()) {
      readNext();
    }
  }

  private void end(boolean complete) {
    if (finished) {
      return;
    }
    finished = true;
    ctx.channel().config().setWriteBufferWaterMark(usualMarks);
    io.execute(() -> {
      try {
        download.bytes().close();
      } catch (IOException e) {
        log.debug("closing a download: {}", e.toString());
      } finally {
        download.done().run();
      }
    });
    ended.accept(complete);
  }
}
