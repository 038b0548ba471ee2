package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * Issue #19: a receiver draining a backlog in batches (one transaction per batch, acknowledged after the commit) is
 * killed with SIGKILL in the middle of the drain. Started again, it has every message exactly once: none that the
 * server was told to delete is missing, none that was stored but not acknowledged is stored or shown twice.
 */
class DrainCrashSafetyTest {

  static final int BACKLOG = 3_000;
  static final Duration WAIT = Duration.ofMinutes(3);

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().users(1)
      // Bob never wrote to Alice: past the default share of a stranger (ADR 0170).
      .setting("PARLEY_MESSAGES_MAX_QUEUE_PER_STRANGER", "10000")
      .setting("PARLEY_MESSAGES_MAX_QUEUE_FROM_STRANGERS", "10000")
      .build();

  @Test
  void aReceiverKilledMidDrainHasEveryMessageExactlyOnceAfterRestart() throws Exception {
    String bob = Users.newNumber();
    Path b = Cli.register(parley.server(), bob);
    String bobAccount;
    try (ParleyClient client = ParleyClient.open(ClientOptions.of(b, null))) {
      bobAccount = client.account().accountId();
    }
    ParleyClient alice = parley.user(0).client();
    alice.connect();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < BACKLOG; i++) {
      texts.add("drain " + i);
      alice.send(bob, "drain " + i);
    }
    assertThat(alice.awaitOutboxEmpty(WAIT)).isTrue();
    assertThat(parley.server().queued(bobAccount, 1)).isEqualTo(BACKLOG);

    CrashSafetyTest.Child receiver = new CrashSafetyTest.Child(Map.of(), "-d", b.toString(), "receive",
        "--timeout", "60");
    // Polled often: the whole drain takes a couple of seconds.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> receiver.out.size() >= BACKLOG / 15);
    assertThat(receiver.kill9()).isEqualTo(137);
    long left = parley.server().queued(bobAccount, 1);
    assertThat(left).as("killed in the middle of the drain").isBetween(1L, BACKLOG - 1L);
    List<String> firstRun = List.copyOf(receiver.out);

    Cli.Result again = Cli.run(b, "receive", "--timeout", "1");
    assertThat(again.code()).as(again.err()).isZero();
    await().atMost(WAIT).until(() -> parley.server().queued(bobAccount, 1) == 0);

    // Shown at most once across both runs: what the killed process showed had committed, and is not shown again.
    Set<String> shown = new HashSet<>();
    for (String line : firstRun) {
      assertThat(shown.add(line)).as("shown twice: %s", line).isTrue();
    }
    for (String line : again.lines()) {
      assertThat(shown.add(line)).as("shown twice: %s", line).isTrue();
    }
    try (ParleyClient client = ParleyClient.open(ClientOptions.of(b, null))) {
      assertThat(client.history(parley.user(0).number(), BACKLOG + 10)).extracting(Message::text)
          .containsExactlyElementsOf(texts);
    }
  }
}
