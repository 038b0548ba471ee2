package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ParleyClient;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.store.ContactTable;
import org.parley.client.internal.store.ConversationTable;
import org.parley.client.internal.store.MessageTable;
import org.parley.desktop.settings.SettingsStore;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Recorder;
import org.parley.testing.Users;

/**
 * A conversation longer than the desktop's old 20,000-message search window: search (client-core's, over the whole
 * database) finds its oldest message, opening at that hit pages back with the cursor, and the chat list's preview
 * comes from the contact's last message.
 */
class LongHistoryTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  @Test
  void searchFindsTheOldestOfMoreThanTwentyThousandMessagesAndTheConversationOpensAtIt() throws Exception {
    String myNumber = Users.newNumber();
    String bobNumber = Users.newNumber();
    Path dir = Files.createTempDirectory("parley-long-history");
    try (VmHarness h = new VmHarness()) {
      try (ParleyClient me = parley.register(myNumber, dir).client();
          ParleyClient bob = parley.register(bobNumber).client()) {
        Recorder events = new Recorder();
        me.addListener(events);
        me.connect();
        bob.connect();
        bob.send(myNumber, "the needle in the haystack");
        await().atMost(Duration.ofSeconds(20)).until(() -> events.received.size() == 1);
      }
      // 20,010 newer messages from Bob, written straight into the (closed) client's database: quicker than sending.
      try (Database db = Database.open(dir)) {
        String bobId = new ContactTable(db).byNumber(bobNumber).orElseThrow().accountId();
        long conversation = new ConversationTable(db).byContact(bobId).orElseThrow().id();
        MessageTable messages = new MessageTable(db);
        long start = System.currentTimeMillis() + 1_000;
        db.run(c -> {
          for (int i = 0; i < 20_010; i++) {
            messages.insertIncoming(conversation, bobId, 1, "hay " + i, start + i, "hay-" + i, start + i);
          }
        });
        new ConversationTable(db).touch(bobId, start + 20_009);
      }
      try (ParleyClient me = parley.reopen(dir)) {
        SettingsStore settings = SettingsStore.open(dir);
        ChatListViewModel list = h.onUi(() -> new ChatListViewModel(me, settings, h.tasks, h.clock, h.zone));
        h.onUi(list::refresh);
        await().until(() -> !h.onUi(list.chats::get).isEmpty());
        assertThat(h.onUi(list.chats::get)).singleElement().satisfies(chat -> {
          assertThat(chat.preview()).isEqualTo("hay 20009");
          assertThat(chat.unread()).isEqualTo(20_011);
        });

        h.onUi(() -> list.search("NEEDLE"));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.onUi(list.hits::get).size() == 1);
        SearchHit hit = h.onUi(list.hits::get).get(0);
        assertThat(hit.text()).isEqualTo("the needle in the haystack");

        ConversationViewModel vm = h.onUi(() -> new ConversationViewModel(bobNumber, "Bob", false, me, h.tasks,
            h.clock, h.zone, h.timer));
        h.onUi(() -> vm.open(Optional.of(hit.messageId())));
        await().atMost(Duration.ofSeconds(20)).until(() -> h.onUi(vm.scrollTo::get) >= 0);
        int index = h.onUi(vm.scrollTo::get);
        assertThat(h.onUi(() -> vm.rows.get(index))).isInstanceOfSatisfying(ConversationRow.Bubble.class,
            b -> assertThat(b.text()).isEqualTo("the needle in the haystack"));
        assertThat(h.onUi(vm.hasOlder::get)).isFalse();
        List<ConversationRow> rows = h.onUi(vm.rows::snapshot);
        assertThat(rows.stream().filter(r -> r instanceof ConversationRow.Bubble)).hasSize(20_011);
      }
    }
  }
}
