package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The benchmarks' output starts with their results, not with logback's status: a new JVM on this module's class
 * path (which has the server's and stun-turn's logback.xml too, as bin/parley-bench's has) logs one warning.
 */
class BenchLoggingTest {

  /** Logs one warning, with the benchmarks' configuration when asked to. */
  public static final class Probe {
    public static void main(String[] args) {
      if (args.length > 0 && args[0].equals("bench-configuration")) {
        BenchLogging.useBenchConfiguration();
      }
      LoggerFactory.getLogger("probe").warn("the only line");
    }
  }

  @Test
  void withTheBenchConfigurationOnlyTheWarningIsPrinted() throws Exception {
    String output = run("bench-configuration");
    assertThat(output.lines()).hasSize(1).allMatch(line -> line.endsWith("WARN  probe - the only line"));
  }

  @Test
  void withoutItLogbackPrintsItsStatusBecauseLogbackXmlOccursSeveralTimes() throws Exception {
    // What bin/parley-bench printed before: shows that the class path here reproduces it.
    assertThat(run("default")).contains("|-WARN in", "Resource [logback.xml] occurs multiple times");
  }

  private static String run(String mode) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Probe.class.getName(), mode).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }
}
