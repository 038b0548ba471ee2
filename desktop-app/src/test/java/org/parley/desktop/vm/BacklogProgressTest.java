package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.BacklogProgress;
import org.parley.client.api.OutgoingText;
import org.parley.client.api.ParleyClient;
import org.parley.desktop.settings.SettingsStore;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * The chat list says "Receiving N messages…" while messages that waited on the server arrive after the app starts,
 * and nothing once they are in: a real client coming back to a real backlog.
 */
class BacklogProgressTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private static final int BACKLOG = 400;

  @Test
  void aBacklogShowsItsCountWhileItArrivesAndNothingOnceItIsIn() throws Exception {
    String myNumber = Users.newNumber();
    String carolNumber = Users.newNumber();
    Path dir = Files.createTempDirectory("parley-backlog-vm");
    ParleyClient me = parley.register(myNumber, dir).client();
    ParleyClient carol = parley.register(carolNumber).client();
    VmHarness h = new VmHarness();
    SettingsStore store = SettingsStore.open(dir);
    try {
      carol.connect();
      List<OutgoingText> texts = new ArrayList<>();
      for (int i = 0; i < BACKLOG; i++) {
        texts.add(new OutgoingText(myNumber, "while you were away " + i));
      }
      carol.sendAll(texts);
      assertThat(carol.awaitOutboxEmpty(Duration.ofSeconds(60))).isTrue();

      MainViewModel vm = h.onUi(() -> new MainViewModel(me, store, h.tasks, h.clock, h.zone, h.timer,
          (title, body, open) -> { }));
      List<String> shown = new CopyOnWriteArrayList<>();
      h.onUi(() -> {
        vm.backlog.observe(shown::add);
        shown.clear(); // observe() hands over the value it has now: nothing yet
      });
      h.onUi(vm::start);

      await().atMost(Duration.ofSeconds(60)).until(() -> h.onUi(() -> vm.chatList.chats.get().stream()
          .anyMatch(chat -> chat.unread() == BACKLOG)));
      await().until(() -> h.onUi(vm.backlog::get).isEmpty() && !shown.isEmpty());
      assertThat(shown).first().asString().matches("Receiving [0-9,]+ messages?…");
      assertThat(shown).last().isEqualTo("");
      List<Integer> counts = shown.stream().filter(s -> !s.isEmpty())
          .map(s -> Integer.parseInt(s.replaceAll("[^0-9]", ""))).toList();
      assertThat(counts).isSorted().allSatisfy(n -> assertThat(n).isBetween(1, BACKLOG));
      h.onUi(vm::stop);
    } finally {
      h.close();
      me.close();
      carol.close();
    }
  }

  @Test
  void theLabelCountsWithThousandsSeparatorsAndIsEmptyWhenDone() {
    assertThat(MainViewModel.backlogText(new BacklogProgress(3412, false))).isEqualTo("Receiving 3,412 messages…");
    assertThat(MainViewModel.backlogText(new BacklogProgress(1, false))).isEqualTo("Receiving 1 message…");
    assertThat(MainViewModel.backlogText(new BacklogProgress(3412, true))).isEmpty();
  }
}
