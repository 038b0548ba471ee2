package org.parley.client.internal.attachments;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands filled buffers, in order, to a consumer on a second thread, so that one core encrypts (or reads the
 * network) while the other hashes and writes (ADR 0122: on two cores this is where the time of a large attachment
 * goes). A fixed set of buffers circulates between the two threads: memory is {@code buffers × size} whatever the
 * file's size. Small transfers ({@link #direct}) skip the thread and consume each buffer at once.
 */
final class ChunkPipeline implements Closeable {

  /** Consumes one chunk; runs on the pipeline's thread, one chunk at a time, in submission order. */
  @FunctionalInterface
  interface Consumer {
    void accept(byte[] bytes, int length) throws IOException;
  }

  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final Chunk END = new Chunk(new byte[0], -1);

  private record Chunk(byte[] bytes, int length) {}

  private final Consumer consumer;
  private final BlockingQueue<byte[]> free;
  private final BlockingQueue<Chunk> full;
  private final Thread worker;
  private volatile Throwable failure;
  private boolean ended;

  private ChunkPipeline(Consumer consumer, int size, int buffers, boolean threaded) {
    this.consumer = consumer;
    this.free = new ArrayBlockingQueue<>(buffers);
    for (int i = 0; i < buffers; i++) {
      free.add(new byte[size]);
    }
    if (threaded) {
      this.full = new ArrayBlockingQueue<>(buffers + 1);
      this.worker = new Thread(this::work, "parley-attachment-io-" + THREADS.incrementAndGet());
      worker.setDaemon(true);
      worker.start();
    } else {
      this.full = null;
      this.worker = null;
    }
  }

  /** Four buffers of {@code size} bytes and a thread that consumes them. */
  static ChunkPipeline threaded(int size, Consumer consumer) {
    return new ChunkPipeline(consumer, size, 4, true);
  }

  /** One buffer, consumed on the caller's thread as it is submitted. */
  static ChunkPipeline direct(int size, Consumer consumer) {
    return new ChunkPipeline(consumer, size, 1, false);
  }

  /** A free buffer to fill and {@link #submit}; waits while the consumer is behind. */
  byte[] buffer() throws IOException {
    rethrow();
    try {
      byte[] buffer = free.take();
      rethrow();
      return buffer;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while waiting for a buffer");
    }
  }

  /** Passes the first {@code length} bytes of {@code buffer} (from {@link #buffer()}) on. */
  void submit(byte[] buffer, int length) throws IOException {
    if (worker == null) {
      try {
        consumer.accept(buffer, length);
      } finally {
        free.add(buffer);
      }
      return;
    }
    put(new Chunk(buffer, length));
  }

  /** Waits until every submitted chunk is consumed; rethrows the consumer's failure. */
  void finish() throws IOException {
    if (worker != null && !ended) {
      ended = true;
      put(END);
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        worker.interrupt();
        throw new InterruptedIOException("Interrupted while the last chunks were written");
      }
    }
    rethrow();
  }

  /**
   * Stops the thread without consuming what is still queued (the caller discards the result), and waits until it
   * has stopped: a download tried again must not share its verifier with a consumer still running.
   */
  @Override
  public void close() {
    if (worker == null || !worker.isAlive()) {
      return;
    }
    worker.interrupt();
    boolean interrupted = false;
    while (worker.isAlive()) {
      try {
        worker.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void put(Chunk chunk) throws IOException {
    rethrow();
    try {
      full.put(chunk);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while handing over a chunk");
    }
  }

  private void work() {
    try {
      for (Chunk chunk; (chunk = full.take()) != END; ) {
        try {
          consumer.accept(chunk.bytes, chunk.length);
        } finally {
          free.add(chunk.bytes);
        }
      }
    } catch (InterruptedException stopped) {
      // close(): the result is being discarded
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
      free.offer(new byte[0]); // wakes a producer waiting for a buffer; it sees the failure
    }
  }

  private void rethrow() throws IOException {
    Throwable f = failure;
    if (f instanceof IOException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (f instanceof RuntimeException e) {
      throw e;
    }
    if (f instanceof Error e) {
      throw e;
    }
  }
}
