package org.parley.turn.server;

/**
 * A token bucket over bytes: {@code bytesPerSecond} refilled continuously, bursts up to one second's worth.
 * Zero means unlimited. Thread-safe.
 */
final class BandwidthLimiter {
  private final long bytesPerSecond;
  private double tokens;
  private long lastNanos;

  BandwidthLimiter(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
    this.tokens = bytesPerSecond;
    this.lastNanos = System.nanoTime();
  }

  boolean tryAcquire(int bytes) {
    return bytesPerSecond == 0 || take(bytes);
  }

  private synchronized boolean take(int bytes) {
    long now = System.nanoTime();
    tokens = Math.min(bytesPerSecond, tokens + (now - lastNanos) * bytesPerSecond / 1e9);
    lastNanos = now;
    if (tokens < bytes) {
      return false;
    }
    tokens -= bytes;
    return true;
  }
}
