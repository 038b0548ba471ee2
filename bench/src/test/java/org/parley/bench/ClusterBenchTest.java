package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The cluster benchmark's CPU reading: PostgreSQL's backends are the postmaster's live children. */
class ClusterBenchTest {

  @Test
  void cpuOfAProcessWithChildrenCountsItsLiveChildren() throws Exception {
    long self = ProcessHandle.current().pid();
    Process busy = new ProcessBuilder("sha256sum", "/dev/zero").start();
    try {
      double before = ClusterBench.cpuSeconds(self, true) - ClusterBench.cpuSeconds(self, false);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      double childCpu = 0;
      while (childCpu < 0.2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        childCpu = ClusterBench.cpuSeconds(self, true) - ClusterBench.cpuSeconds(self, false) - before;
      }
      assertThat(childCpu).as("the busy child's CPU, counted with the parent's").isGreaterThanOrEqualTo(0.2);
    } finally {
      busy.destroyForcibly();
      busy.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(ClusterBench.cpuSeconds(-1, true)).as("no process").isZero();
  }
}
