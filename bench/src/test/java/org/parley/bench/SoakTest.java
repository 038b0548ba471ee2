package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The abuse mix of issue #17 for 20 s against a real server process with a 128 MiB heap and the limits it ships
 * with, while two real clients chat: nothing lost, the server up, its memory bounded, and every attack met its limit.
 * (The legitimate request's latency is a benchmark figure, `bin/parley-bench soak`, not checked here.)
 */
class SoakTest {

  @Test
  void theServerKeepsDeliveringUnderTheAbuseMixOnASmallHeap() throws Exception {
    SoakBench soak = new SoakBench();
    new CommandLine(soak).parseArgs("--seconds", "20", "--heap-mb", "128");
    SoakBench.Outcome outcome = soak.run();

    assertThat(outcome.sent()).isGreaterThan(40);
    assertThat(outcome.lost()).isZero();
    assertThat(outcome.duplicates()).isZero();
    assertThat(outcome.serverUp()).isTrue();
    assertThat(outcome.rssPeak()).isLessThanOrEqualTo(outcome.rssLimit());
    // Each attack ran and met its limit.
    assertThat(outcome.attacks()).containsKeys("slow bodies: ended by the server", "wrong passwords: 429",
        "stranger flood: 507", "garbage: 400");
    assertThat(outcome.attacks().get("stranger flood: 200")).isEqualTo(1000L); // messages-per-stranger share
  }
}
