package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.OutgoingText;
import org.parley.client.api.ParleyClient;
import org.parley.client.internal.ClientComponents;
import org.parley.client.internal.connection.FaultInjection;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Recorder;
import org.parley.testing.TestUser;

/**
 * Issue #19: the outbox pipelines (ADR 0204): several destinations in flight on the WebSocket, and behind each the
 * next rows already encrypted, sent one after the other as answers come. A bot's burst to several recipients must
 * reach each of them once and in order — also when the server restarts in the middle of the burst, dropping the
 * requests in flight and the rows encrypted behind them.
 */
class PipelinedSendTest {

  static final int PER_RECIPIENT = 300;
  static final Duration WAIT = Duration.ofMinutes(5);

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder()
      .setting("PARLEY_MESSAGES_MAX_QUEUE_PER_STRANGER", "10000")
      .setting("PARLEY_MESSAGES_MAX_QUEUE_FROM_STRANGERS", "10000")
      .build();

  @Test
  void aBurstToSeveralRecipientsArrivesOnceAndInOrderAcrossAServerRestart() throws Exception {
    TestUser bot = parley.register();
    List<TestUser> recipients = List.of(parley.register(), parley.register(), parley.register());
    List<Recorder> events = new ArrayList<>();
    for (TestUser recipient : recipients) {
      Recorder recorder = new Recorder();
      recipient.client().addListener(recorder);
      recipient.client().connect();
      events.add(recorder);
    }
    // Pipelining is not the default yet (ADR 0204): the bot asks for it.
    bot.client().close();
    ClientComponents components = ClientComponents.open(ClientOptions.of(bot.dataDir(), parley.url()),
        FaultInjection.NONE, ClientComponents.Tuning.PIPELINED);
    ParleyClient client = components.client();
    client.connect();
    List<List<String>> expected = new ArrayList<>();
    recipients.forEach(r -> expected.add(new ArrayList<>()));
    List<OutgoingText> burst = new ArrayList<>();
    for (int i = 0; i < PER_RECIPIENT; i++) {
      for (int r = 0; r < recipients.size(); r++) {
        String text = "to " + r + ": " + i;
        expected.get(r).add(text);
        burst.add(new OutgoingText(recipients.get(r).number(), text));
      }
      if (burst.size() >= 90) {
        client.sendAll(burst);
        burst.clear();
      }
    }
    // Some way into the burst, the server goes away and comes back.
    await().atMost(WAIT).until(() -> events.get(0).received.size() >= PER_RECIPIENT / 4);
    parley.server().restart();

    assertThat(client.awaitOutboxEmpty(WAIT)).isTrue();
    for (int r = 0; r < recipients.size(); r++) {
      Recorder recorder = events.get(r);
      List<String> want = expected.get(r);
      await().atMost(WAIT).until(() -> recorder.received.size() >= want.size());
      assertThat(recorder.received).extracting(Message::text).as("recipient %d", r)
          .containsExactlyElementsOf(want);
      assertThat(client.history(recipients.get(r).number(), PER_RECIPIENT + 10)).hasSize(PER_RECIPIENT)
          .allSatisfy(m -> assertThat(m.status()).isIn(MessageStatus.SENT, MessageStatus.DELIVERED));
    }
    components.close();
  }
}
