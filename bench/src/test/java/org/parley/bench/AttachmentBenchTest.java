package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The attachment benchmark's client mode runs end to end on a small file, so it cannot rot: a real server process
 * (from this module's class path), two real clients, the plain HTTP server; every round checks the received bytes.
 */
class AttachmentBenchTest {

  @Test
  void throughClientSendsAndReceivesTheFileAndReportsTheRatio(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      exit = new CommandLine(new AttachmentBench()).execute("--through-client", "--size-mb", "1", "--runs", "1",
          "--warmup", "0", "--work-dir", dir.toString());
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.print(output);
    assertThat(exit).as(output).isZero();
    assertThat(output).contains("client round: prepare", "plain HTTP (JDK HttpServer): upload",
        "memory: server peak RSS", "attachments through client: 1 MiB, send→DOWNLOADED",
        "load average at start: ", "load average at end: ");
    assertThat(output).as("a parley round and then a plain one, with their ratio")
        .containsPattern("round 0: parley [0-9.]+ s, plain [0-9.]+ s: [0-9]+ % \\(load ");
  }
}
