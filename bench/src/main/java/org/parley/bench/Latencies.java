package org.parley.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Latencies of a measured phase, in µs, kept up to a fixed count (any thread may add). */
final class Latencies {

  private final long[] micros;
  private final AtomicInteger count = new AtomicInteger();

  Latencies(int capacity) {
    micros = new long[capacity];
  }

  /** Adds the latency of a message sent at {@code sentAtNanos} ({@link System#nanoTime()}) and arrived now. */
  void arrived(long sentAtNanos) {
    int slot = count.getAndIncrement();
    if (slot < micros.length) {
      micros[slot] = (System.nanoTime() - sentAtNanos) / 1000;
    }
  }

  /** Forgets what was added: the next phase starts. */
  void reset() {
    count.set(0);
  }

  /** The median and the 99th percentile, in ms; 0 when nothing was added. */
  double[] p50p99Millis() {
    int n = Math.min(count.get(), micros.length);
    long[] sorted = Arrays.copyOf(micros, n);
    Arrays.sort(sorted);
    double p50 = n == 0 ? 0 : sorted[(int) (n * 0.50)] / 1000.0;
    double p99 = n == 0 ? 0 : sorted[Math.min(n - 1, (int) (n * 0.99))] / 1000.0;
    return new double[] {p50, p99};
  }
}
