package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.testing.ParleyServerExtension;

/**
 * A message the server refuses for good (413: larger than this server accepts) ends FAILED with "!"; retry sends
 * the text again as a new message and the failed bubble goes.
 */
class FailedMessageTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder()
      .setting("PARLEY_MESSAGES_MAX_CONTENT_BYTES", "4000").users(2).build();

  private ParleyClient alice;
  private ParleyClient bob;
  private final VmHarness h = new VmHarness();

  @BeforeEach
  void start() throws Exception {
    alice = parley.user(0).client();
    bob = parley.user(1).client();
    alice.connect();
    bob.connect();
  }

  @AfterEach
  void stop() {
    h.close();
    alice.close();
    bob.close();
  }

  private List<ConversationRow.Bubble> bubbles(ConversationViewModel vm) {
    return h.onUi(() -> vm.rows.snapshot().stream().filter(r -> r instanceof ConversationRow.Bubble)
        .map(r -> (ConversationRow.Bubble) r).toList());
  }

  @Test
  void aRefusedMessageShowsTheFailedTickAndRetrySendsItAgain() throws Exception {
    String bobNumber = bob.account().number();
    ConversationViewModel vm = h.onUi(() -> new ConversationViewModel(bobNumber, "Bob", false, alice, h.tasks,
        h.clock, h.zone, h.timer));
    alice.addListener(new ParleyListener() {
      @Override
      public void statusChanged(Message m) {
        h.ui.execute(() -> vm.onStatus(m));
      }
    });
    h.onUi(() -> vm.open(Optional.empty()));
    h.onUi(() -> vm.send("short one"));
    await().until(() -> bubbles(vm).stream().anyMatch(b -> b.text().equals("short one")
        && b.status().isAfter(MessageStatus.PENDING) && !b.failed()));

    String big = "x".repeat(6000);
    h.onUi(() -> vm.send(big));
    await().until(() -> bubbles(vm).stream().anyMatch(b -> b.text().equals(big) && b.failed()));
    ConversationRow.Bubble failed = bubbles(vm).stream().filter(b -> b.text().equals(big)).findFirst().orElseThrow();
    assertThat(failed.tick()).isEqualTo("!");
    assertThat(failed.statusWords()).contains("retry");

    h.onUi(() -> vm.retry(failed.id()));
    await().until(() -> bubbles(vm).stream().anyMatch(b -> b.text().equals(big) && b.id() != failed.id()));
    assertThat(bubbles(vm).stream().filter(b -> b.text().equals(big))).singleElement()
        .satisfies(b -> assertThat(b.id()).isNotEqualTo(failed.id()));
    // Retrying a message that is not failed does nothing.
    ConversationRow.Bubble ok = bubbles(vm).get(0);
    h.onUi(() -> vm.retry(ok.id()));
    assertThat(bubbles(vm)).contains(ok);
  }
}
