package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The transfer benchmark runs end to end on a small file against a real server process: every round's download is
 * verified (digest and GCM tags) and stored by client-core, so a wrong byte fails the run.
 */
class AttachmentTransferBenchTest {

  @Test
  void uploadsDownloadsVerifiesAndReportsClientAndBareMedians() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      exit = new CommandLine(new AttachmentTransferBench()).execute("--size-mb", "2", "--runs", "1");
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.print(output);
    assertThat(exit).as(output).isZero();
    assertThat(output).contains("round 0: client upload", "2 MiB, medians of 1 rounds:", "load average at end: ");
    assertThat(output).containsPattern("client download \\(verified\\), s +[0-9.]+ ")
        .containsPattern("bare download, s +[0-9.]+ ");
  }
}
