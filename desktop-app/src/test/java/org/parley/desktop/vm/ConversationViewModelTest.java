package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyListener;

/** The conversation ViewModel over real clients and a real server, without JavaFX. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConversationViewModelTest extends WithAliceAndBob {

  @BeforeAll
  void start() throws Exception {
    // 120 messages from Bob: more than two pages.
    for (int i = 0; i < 120; i++) {
      bob.send(aliceNumber, "message " + i);
    }
    assertThat(bob.awaitOutboxEmpty(Duration.ofSeconds(30))).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> alice.history(bobNumber, 500).size() == 120);
  }

  private ConversationViewModel open(Optional<Long> focus) {
    ConversationViewModel vm = h.onUi(() -> new ConversationViewModel(bobNumber, "Bob", false, alice, h.tasks,
        h.clock, h.zone, h.timer));
    h.onUi(() -> vm.open(focus));
    await().until(() -> h.onUi(() -> vm.rows.size()) > 0);
    return vm;
  }

  private List<String> texts(ConversationViewModel vm) {
    return h.onUi(() -> vm.rows.snapshot().stream().filter(r -> r instanceof ConversationRow.Bubble)
        .map(r -> ((ConversationRow.Bubble) r).text()).toList());
  }

  @Test
  @Order(1)
  void historyLoadsPageByPageWithOneDaySeparatorPerDay() {
    ConversationViewModel vm = open(Optional.empty());
    assertThat(texts(vm)).hasSize(ConversationViewModel.PAGE).last().isEqualTo("message 119");
    assertThat(h.onUi(vm.hasOlder::get)).isTrue();
    h.onUi(vm::loadOlder);
    await().until(() -> texts(vm).size() == 100);
    h.onUi(vm::loadOlder);
    await().until(() -> texts(vm).size() == 120);
    assertThat(texts(vm).get(0)).isEqualTo("message 0");
    assertThat(h.onUi(vm.hasOlder::get)).isFalse();
    List<ConversationRow> rows = h.onUi(vm.rows::snapshot);
    // All were sent today: exactly one separator, at the top.
    assertThat(rows.stream().filter(r -> r instanceof ConversationRow.Day)).hasSize(1);
    assertThat(rows.get(0)).isInstanceOf(ConversationRow.Day.class);
    assertThat(((ConversationRow.Day) rows.get(0)).label()).isEqualTo("Today");
  }

  @Test
  @Order(2)
  void openingAtASearchHitLoadsEnoughHistoryAndPointsAtIt() throws Exception {
    Message old = alice.history(bobNumber, 500).stream().filter(m -> m.text().equals("message 3")).findFirst()
        .orElseThrow();
    ConversationViewModel vm = open(Optional.of(old.id()));
    await().until(() -> h.onUi(vm.scrollTo::get) >= 0);
    int index = h.onUi(vm.scrollTo::get);
    ConversationRow row = h.onUi(() -> vm.rows.get(index));
    assertThat(row).isInstanceOfSatisfying(ConversationRow.Bubble.class,
        b -> assertThat(b.text()).isEqualTo("message 3"));
  }

  @Test
  @Order(3)
  void aSentMessageShowsPendingThenItsStatusesAndTypingComesAndGoes() throws Exception {
    ConversationViewModel vm = open(Optional.empty());
    alice.addListener(new ParleyListener() {
      @Override
      public void statusChanged(Message m) {
        h.ui.execute(() -> vm.onStatus(m));
      }

      @Override
      public void messageReceived(Message m) {
        h.ui.execute(() -> vm.onMessage(m));
      }
    });
    h.onUi(() -> vm.send("  hello Bob  "));
    await().until(() -> texts(vm).contains("hello Bob"));
    ConversationRow.Bubble mine = h.onUi(() -> (ConversationRow.Bubble) vm.rows.get(vm.rows.size() - 1));
    assertThat(mine.outgoing()).isTrue();
    assertThat(mine.status()).isIn(MessageStatus.PENDING, MessageStatus.SENT, MessageStatus.DELIVERED);
    // Bob reads it once he has it (before that, marking the conversation read finds nothing to read).
    await().ignoreException(NotFoundException.class).until(() -> bob.history(aliceNumber, 20).stream()
        .anyMatch(m -> m.text().equals("hello Bob")));
    bob.markRead(aliceNumber);
    await().until(() -> h.onUi(() -> ((ConversationRow.Bubble) vm.rows.get(vm.indexOf(mine.id()))).read()));

    h.onUi(() -> vm.onTyping(true));
    assertThat(h.onUi(vm.subtitle::get)).isEqualTo("typing…");
    bob.send(aliceNumber, "done typing");
    await().until(() -> texts(vm).contains("done typing"));
    assertThat(h.onUi(vm::isTyping)).as("a message from them ends their typing").isFalse();
    assertThat(h.onUi(vm.subtitle::get)).isNotEqualTo("typing…");
  }

  @Test
  @Order(4)
  void blankMessagesAreNotSentAndErrorsFromTheClientAreShown() throws Exception {
    ConversationViewModel vm = open(Optional.empty());
    int before = texts(vm).size();
    h.onUi(() -> vm.send("   \n  "));
    Thread.sleep(300);
    assertThat(texts(vm)).hasSize(before);
    ConversationViewModel nobody = h.onUi(() -> new ConversationViewModel("+15559999999", "?", false, alice,
        h.tasks, h.clock, h.zone, h.timer));
    h.onUi(() -> nobody.send("hello?"));
    await().until(() -> !h.onUi(nobody.error::get).isEmpty());
    assertThat(h.onUi(nobody.error::get)).contains("No Parley account");
  }
}
