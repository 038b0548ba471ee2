package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Recorder;
import org.parley.testing.TestUser;

/**
 * Issue #19: a receiver that was offline comes back to thousands of queued messages. The inbox drains them in
 * batches (one transaction per batch, acknowledged after its commit, delivery receipts merged per sender); every
 * message must arrive once, in order, be acknowledged, be searchable, and the sender must learn it was delivered.
 */
class BacklogDrainTest {

  static final int BACKLOG = 5_000;
  static final Duration WAIT = Duration.ofMinutes(5);

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder()
      // Bob never wrote to Alice: to the server she is a stranger, whose share of his queue is limited (ADR 0170).
      .setting("PARLEY_MESSAGES_MAX_QUEUE_PER_STRANGER", "10000")
      .setting("PARLEY_MESSAGES_MAX_QUEUE_FROM_STRANGERS", "10000")
      .build();

  @Test
  void aBacklogOfFiveThousandArrivesOnceInOrderAcknowledgedSearchableAndReceipted() throws Exception {
    TestUser alice = parley.register();
    TestUser bob = parley.register();
    String aliceAccount = alice.client().account().accountId();
    String bobAccount = bob.client().account().accountId();
    bob.client().close(); // offline while the backlog builds up

    List<String> texts = new ArrayList<>();
    for (int i = 0; i < BACKLOG; i++) {
      texts.add("backlog " + i);
    }
    alice.client().connect();
    for (String text : texts) {
      alice.client().send(bob.number(), text);
    }
    assertThat(alice.client().awaitOutboxEmpty(WAIT)).isTrue();
    alice.client().close(); // her receipts wait on the server, where they can be counted
    assertThat(parley.server().queued(bobAccount, 1)).isEqualTo(BACKLOG);

    // Bob starts again.
    Recorder events = new Recorder();
    try (ParleyClient b = parley.reopen(bob.dataDir())) {
      b.addListener(events);
      b.connect();
      assertThat(b.awaitQueueDrained(WAIT)).isTrue();
      // "Queue empty" is handled after every delivery before it was stored and its listener told.
      assertThat(events.received).extracting(Message::text).containsExactlyElementsOf(texts);
      await().atMost(WAIT).until(() -> parley.server().queued(bobAccount, 1) == 0);
      List<Message> history = b.history(alice.number(), BACKLOG + 10);
      assertThat(history).extracting(Message::text).containsExactlyElementsOf(texts);
      assertThat(b.search("backlog 4321", 10)).extracting(Message::text).containsExactly("backlog 4321");
      assertThat(b.search("backlog 0", 10)).extracting(Message::text).containsExactly("backlog 0");
      assertThat(b.awaitOutboxEmpty(WAIT)).isTrue();
    }
    // One delivery receipt per sender and batch, not one per message (a receipt carries up to 500 timestamps).
    long receipts = parley.server().queued(aliceAccount, 1);
    assertThat(receipts).isBetween((long) BACKLOG / 500, (long) BACKLOG / 10);

    Recorder aliceEvents = new Recorder();
    try (ParleyClient a = parley.reopen(alice.dataDir())) {
      a.addListener(aliceEvents);
      a.connect();
      assertThat(a.awaitQueueDrained(WAIT)).isTrue();
      List<Message> sent = a.history(bob.number(), BACKLOG + 10);
      assertThat(sent).hasSize(BACKLOG);
      assertThat(sent).allSatisfy(m -> assertThat(m.status()).isEqualTo(MessageStatus.DELIVERED));
    }
  }
}
