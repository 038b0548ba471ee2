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
 * The backlog benchmark runs end to end on a small backlog, so it cannot rot: a real server process (from this
 * module's class path), a bot sending to two recipients two ways, a real sender and two receivers, one per batch
 * size; it fails unless every message is sent and arrives, and the reopened receiver holds all of them.
 */
class BacklogBenchTest {

  @Test
  void drainsEachReceiversBacklogAndPrintsThemSideBySide(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      exit = new CommandLine(new BacklogBench()).execute("--messages", "100", "--batches", "1,64", "--send-messages",
          "40", "--recipients", "2", "--send-modes", "0x1,24x10,24x10x1", "--bursts", "2", "--senders", "2", "--work-dir", dir.toString());
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.print(output);
    assertThat(exit).as(output).isZero();
    assertThat(output).contains("side by side:").containsPattern("burst 2 of 2, batch 64: 50 messages in .* msg/s")
        .containsPattern("backlog, batch  1, 2 bursts: 100 messages in .* msg/s")
        .containsPattern("backlog, batch 64, 2 bursts: 100 messages in .* written .* kB/msg; .* peak [0-9.]+ MB")
        .containsPattern("closed and reopened: [0-9.]+ kB of file per stored message \\(100 stored\\)")
        .containsPattern("send, window  0,   1 per call, 16 ahead, 1 deep: 40 messages in .* msg/s; CPU .* written .* kB/msg")
        .containsPattern("send, window 24,  10 per call, 16 ahead, 1 deep: 40 messages in .* msg/s; .* kB/msg once closed")
        .containsPattern("send, window 24,  10 per call,  1 ahead, 1 deep: 40 messages in .* msg/s");
  }

  /** {@code --retentions} runs each receiver and bot once per retention, labelled, side by side. */
  @Test
  void comparesRetentionsSideBySide(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      exit = new CommandLine(new BacklogBench()).execute("--messages", "30", "--batches", "64", "--send-messages",
          "20", "--recipients", "2", "--send-modes", "24x10", "--retentions", "0,45000", "--work-dir",
          dir.toString());
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.print(output);
    assertThat(exit).as(output).isZero();
    assertThat(output).containsPattern("send, window 24,  10 per call, 16 ahead, 1 deep, retention 0 ms: 20 messages")
        .containsPattern("send, window 24,  10 per call, 16 ahead, 1 deep, retention 45,000 ms: 20 messages")
        .containsPattern("backlog, batch 64, retention 0 ms: 30 messages in .* \\(30 stored\\)")
        .containsPattern("backlog, batch 64, retention 45,000 ms: 30 messages in .* \\(30 stored\\)");
    assertThat(System.getProperty("parley.db.retentionMillis")).as("the bench leaves the property as it was").isNull();
  }
}
