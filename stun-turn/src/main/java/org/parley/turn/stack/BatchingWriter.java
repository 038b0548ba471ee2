package org.parley.turn.stack;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * Writes to a channel and flushes once per event-loop turn instead of once per message: the first write of a turn
 * schedules a flush task, which the loop runs after the I/O it is handling, so the messages of one batch of reads
 * leave in one flush (sendmmsg with epoll for UDP, one write for TCP). A write from another thread is handed to the
 * channel's loop whole (write and flush scheduling together): were only the write queued, it could land behind a
 * flush already scheduled and then wait for the next one.
 */
public final class BatchingWriter {
  private final Channel channel;
  private final EventLoop loop;
  private final Runnable flush;
  /** Only read and written on the channel's event loop. */
  private boolean flushScheduled;

  public BatchingWriter(Channel channel) {
    this.channel = channel;
    this.loop = channel.eventLoop();
    this.flush = () -> {
      flushScheduled = false;
      channel.flush();
    };
  }

  public void write(Object message) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> write(message));
      return;
    }
    channel.write(message, channel.voidPromise());
    if (!flushScheduled) {
      flushScheduled = true;
      loop.execute(flush);
    }
  }

  public Channel channel() {
    return channel;
  }
}
