package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterMemoryTest {

  @Test
  void pssOfARunningProcessIsPositiveAndAtMostItsRss() throws Exception {
    long pid = ProcessHandle.current().pid();
    long pss = ClusterMemory.pssBytes(pid);
    assertThat(pss).isPositive();
    assertThat(pss).isLessThanOrEqualTo(MemorySampler.rssBytes(pid) + 1024 * 1024);
  }

  @Test
  void noProcessHasNoMemory() throws Exception {
    assertThat(ClusterMemory.pssBytes(0)).isZero();
    assertThat(ClusterMemory.pssBytes(Long.MAX_VALUE)).isZero();
  }

  @Test
  void thePartsAddUpPerConnection() {
    ClusterMemory before = new ClusterMemory(1000L << 10, 5000L << 10, 300L << 10, 100L << 10, 10L << 10);
    ClusterMemory after = new ClusterMemory(6000L << 10, 9000L << 10, 400L << 10, 1100L << 10, 1010L << 10);
    assertThat(after.perConnection(before, 1000)).isEqualTo("7.1 kB per connection live = nodes' heap after GC 5.0"
        + " + PostgreSQL 0.1 + Redis 1.0 + HAProxy 1.0 (PSS growth); 6.1 kB resident (with the nodes' PSS growth 4.0"
        + " instead of their heap)");
  }
}
