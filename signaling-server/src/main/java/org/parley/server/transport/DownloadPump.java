package org.parley.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.ssl.SslHandler;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.parley.server.attachments.AttachmentService;
import org.parley.server.storage.AttachmentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the body of an attachment download: reads {@value #CHUNK_BYTES} bytes at a time from the store on the I/O
 * executor (a store read may block, a network thread must not) and writes them while the connection is writable.
 * A client that stops reading fills its socket and Netty's outbound buffer; then nothing more is read until it
 * drains, so a download holds at most one chunk plus the high-water mark, however large the attachment.
 *
 * <p>When the store hands out a range of a local file and the connection is plain TCP (no TLS: a proxy or the
 * loopback), the file goes out in regions of {@value #REGION_BYTES} bytes with {@code sendfile}, so the bytes are
 * never copied into the JVM (ADR 0122: this halves the server's CPU per downloaded byte). The regions are queued
 * under the same high-water mark, so a slow reader still holds nothing more; a region may block its network thread
 * on a disk read when the file is not in the page cache, which is what every sendfile server accepts.
 */
final class DownloadPump {

  private static final Logger log = LoggerFactory.getLogger(DownloadPump.class);
  static final int CHUNK_BYTES = 128 * 1024;
  static final int REGION_BYTES = 256 * 1024;
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
  /** The file to send with sendfile, or null to copy chunks through buffers. */
  private final AttachmentStore.FileRange file;
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
    this.file = download.bytes() instanceof AttachmentStore.FileRange range && range.length() == remaining
        && ctx.pipeline().get(SslHandler.class) == null ? range : null;
  }

  void start() {
    ctx.channel().config().setWriteBufferWaterMark(DOWNLOAD_MARKS);
    if (remaining == 0) {
      ctx.writeAndFlush(new DefaultLastHttpContent());
      end(true);
      return;
    }
    next();
  }

  private void next() {
    if (file != null) {
      sendRegions();
    } else {
      readNext();
    }
  }

  /** Queues regions of the file while the connection is writable; each completed one counts as progress. */
  private void sendRegions() {
    while (!finished && remaining > 0 && ctx.channel().isWritable()) {
      long length = Math.min(REGION_BYTES, remaining);
      long position = file.offset() + file.length() - remaining;
      remaining -= length;
      boolean last = remaining == 0;
      ctx.write(new FileRangeRegion(file.file(), position, length)).addListener(done -> {
        if (!done.isSuccess()) {
          abort();
          return;
        }
        lastProgressNanos = System.nanoTime();
        attachments.downloaded(length);
      });
      if (last) {
        ctx.writeAndFlush(new DefaultLastHttpContent()).addListener(done -> {
          if (done.isSuccess()) {
            end(true);
          } else {
            abort();
          }
        });
      } else {
        ctx.flush();
      }
    }
  }

  /** A region of the download's file that leaves the file open when Netty releases it: the download closes it. */
  private static final class FileRangeRegion extends DefaultFileRegion {
    FileRangeRegion(FileChannel file, long position, long count) {
      super(file, position, count);
    }

    @Override
    protected void deallocate() {
      // The store's channel is closed once, when the download ends.
    }
  }

  /** Nanos of the last chunk the socket took, for the idle check. */
  long lastProgressNanos() {
    return lastProgressNanos;
  }

  void writabilityChanged() {
    if (!finished && !reading && remaining > 0 && ctx.channel().isWritable()) {
      next();
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
