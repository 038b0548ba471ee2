package org.parley.turn.stack;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes to a channel and flushes once per event-loop turn instead of once per message: the first write of a turn
 * schedules a flush task, which the loop runs after the I/O it is handling, so the messages of one batch of reads
 * leave in one flush (sendmmsg with epoll for UDP, one write for TCP). Thread-safe; writes from another thread are
 * queued on the channel's loop ahead of the flush task.
 */
public final class BatchingWriter {
  private final Channel channel;
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final Runnable flush;

  public BatchingWriter(Channel channel) {
    this.channel = channel;
    this.flush = () -> {
      flushScheduled.set(false);
      channel.flush();
    };
  }

  public void write(Object message) {
    channel.write(message, channel.voidPromise());
    if (flushScheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(flush);
    }
  }

  public Channel channel() {
    return channel;
  }
}
