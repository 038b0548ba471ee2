package org.parley.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peak memory while a benchmark runs, sampled every 50 ms: the server process's RSS, and this JVM's RSS and heap in
 * use (garbage not yet collected included, so an upper bound of what is live).
 */
final class MemorySampler {

  private final AtomicLong serverRss = new AtomicLong();
  private final AtomicLong selfRss = new AtomicLong();
  private final AtomicLong selfHeap = new AtomicLong();
  private final Thread thread;

  private MemorySampler(long serverPid) {
    MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
    long self = ProcessHandle.current().pid();
    thread = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          serverRss.accumulateAndGet(rssBytes(serverPid), Math::max);
          selfRss.accumulateAndGet(rssBytes(self), Math::max);
          selfHeap.accumulateAndGet(heap.getHeapMemoryUsage().getUsed(), Math::max);
          Thread.sleep(50);
        } catch (IOException | InterruptedException e) {
          return;
        }
      }
    }, "memory-sampler");
    thread.setDaemon(true);
  }

  static MemorySampler start(long serverPid) {
    MemorySampler sampler = new MemorySampler(serverPid);
    sampler.thread.start();
    return sampler;
  }

  void stop() throws InterruptedException {
    thread.interrupt();
    thread.join();
  }

  long serverPeakRss() {
    return serverRss.get();
  }

  long selfPeakRss() {
    return selfRss.get();
  }

  long selfPeakHeap() {
    return selfHeap.get();
  }

  /** Resident set size in bytes, from /proc. */
  static long rssBytes(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS for " + pid);
  }
}
