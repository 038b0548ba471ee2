package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ParleyClient;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * Issue #17, finding 10: `parley receive` gave up with a network error when a long backlog took longer than its
 * timeout to drain. It now keeps draining while messages keep coming and says how many it got.
 */
class ReceiveBacklogCliTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().users(1)
      // Alice's backlog goes to someone who never wrote to her: past the default stranger share (ADR 0170).
      .setting("PARLEY_MESSAGES_MAX_QUEUE_PER_STRANGER", "5000")
      .build();

  @Test
  void aBacklogThatTakesLongerThanTheTimeoutIsDrainedWholeAndCounted() throws Exception {
    String bob = Users.newNumber();
    Path b = Cli.register(parley.server(), bob);
    ParleyClient alice = parley.user(0).client();
    alice.connect();
    int backlog = 1500; // several seconds of draining; the --timeout of 1 s must not cut it short
    for (int i = 0; i < backlog; i++) {
      alice.send(bob, "backlog " + i);
    }
    assertThat(alice.awaitOutboxEmpty(Duration.ofMinutes(5))).isTrue();

    Cli.Result received = Cli.run(b, "receive", "--timeout", "1");
    assertThat(received.code()).as(received.err()).isZero();
    assertThat(received.lines()).hasSize(backlog);
    assertThat(received.lines().get(0)).endsWith("backlog 0");
    assertThat(received.lines().get(backlog - 1)).endsWith("backlog " + (backlog - 1));
    assertThat(received.err()).contains("received " + backlog + " message(s)");
  }
}
