package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.Contact;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.Message.Direction;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyClient;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.store.ContactTable;
import org.parley.client.internal.store.ConversationTable;
import org.parley.client.internal.store.MessageTable;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Recorder;
import org.parley.testing.Users;

/** Long conversations: read receipts for a backlog, cursor paging, search, the chat list's last message. */
class HistorySearchAndReceiptsTest {

  static final Duration WAIT = Duration.ofSeconds(30);
  /** A quarter of the default 64 KiB, so that a few thousand timestamps in one receipt would be refused. */
  static final int MAX_CONTENT_BYTES = 16 * 1024;
  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder()
      .setting("PARLEY_MESSAGES_MAX_CONTENT_BYTES", Integer.toString(MAX_CONTENT_BYTES)).build();

  /**
   * 5,003 unread messages (three sent through the server, 5,000 more stored while Bob was offline): one markRead
   * sends read receipts of at most 500 timestamps each — every one accepted by a server that takes 16 KiB — so the
   * sender sees all three of its messages read; listeners get one summary, not 5,003 status events.
   */
  @Test
  void markReadOnABacklogOfThousandsSendsReceiptsInChunksAndOneEvent() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path bobDir = Files.createTempDirectory("parley-bob");
    try (ParleyClient a = parley.register(alice).client()) {
      a.connect();
      List<Message> sent = new ArrayList<>();
      try (ParleyClient b = parley.register(bob, bobDir).client()) {
        Recorder bEvents = new Recorder();
        b.addListener(bEvents);
        b.connect();
        for (int i = 0; i < 3; i++) {
          sent.add(a.send(bob, "live " + i));
        }
        await().atMost(WAIT).until(() -> bEvents.received.size() == 3);
      }
      try (Database db = Database.open(bobDir)) {
        String aliceId = new ContactTable(db).byNumber(alice).orElseThrow().accountId();
        long conversation = new ConversationTable(db).byContact(aliceId).orElseThrow().id();
        MessageTable messages = new MessageTable(db);
        long start = sent.get(0).timestamp() - 1_000_000;
        db.run(c -> {
          for (int i = 0; i < 5000; i++) {
            messages.insertIncoming(conversation, aliceId, 1, "backlog " + i, start + i, "backlog-" + i, start + i);
          }
        });
      }
      try (ParleyClient b = parley.reopen(bobDir)) {
        Recorder bEvents = new Recorder();
        b.addListener(bEvents);
        b.connect();
        assertThat(b.contacts()).singleElement().extracting(Contact::unread).isEqualTo(5003);
        assertThat(b.markRead(alice)).isEqualTo(5003);
        assertThat(b.markRead(alice)).isZero();
        assertThat(bEvents.reads).containsExactly(alice + ":5003");
        assertThat(bEvents.statuses).isEmpty();
        assertThat(b.contacts()).singleElement().extracting(Contact::unread).isEqualTo(0);
        assertThat(b.history(alice, 5003)).extracting(Message::status).containsOnly(MessageStatus.READ);
        assertThat(b.awaitOutboxEmpty(WAIT)).isTrue();
        for (Message m : sent) {
          await().atMost(WAIT).until(() -> MessagingTest.statusOf(a, bob, m.id()) == MessageStatus.READ);
        }
      }
    }
  }

  @Test
  void historyPagesBackwardsWithACursorAndSearchFindsMessagesInEveryChat() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    String carol = Users.newNumber();
    try (ParleyClient a = parley.register(alice).client(); ParleyClient b = parley.register(bob).client();
        ParleyClient c = parley.register(carol).client()) {
      Recorder aEvents = new Recorder();
      a.addListener(aEvents);
      a.connect();
      b.connect();
      c.connect();
      List<Message> toBob = new ArrayList<>();
      for (int i = 0; i < 23; i++) {
        toBob.add(a.send(bob, i == 2 ? "an Apple a day" : "to bob " + i));
      }
      c.send(alice, "APPLE pie?");
      await().atMost(WAIT).until(() -> aEvents.received.size() == 1);
      b.send(alice, "thanks for all 23");
      await().atMost(WAIT).until(() -> aEvents.received.size() == 2);

      // Paging: newest 10, then strictly older pages of 10 from the first message shown, oldest first each time.
      List<Message> page = a.history(bob, 10);
      List<Message> all = new ArrayList<>(page);
      while (!page.isEmpty()) {
        page = a.history(bob, page.get(0).id(), 10);
        assertThat(page.size()).isLessThanOrEqualTo(10);
        all.addAll(0, page);
      }
      List<String> expected = new ArrayList<>(toBob.stream().map(Message::text).toList());
      expected.add("thanks for all 23");
      assertThat(all).extracting(Message::text).isEqualTo(expected);
      assertThat(a.history(bob, toBob.get(3).id(), 2)).extracting(Message::id)
          .containsExactly(toBob.get(1).id(), toBob.get(2).id());
      long carolsMessage = a.history(carol, 1).get(0).id();
      assertThatThrownBy(() -> a.history(bob, carolsMessage, 10)).isInstanceOf(NotFoundException.class)
          .hasMessageContaining(bob);
      assertThatThrownBy(() -> a.history(bob, toBob.get(3).id(), 0)).isInstanceOf(InvalidInputException.class);

      // Search: both chats, any case, newest first, bounded.
      assertThat(a.search("apple", 10)).extracting(Message::contactNumber, Message::text)
          .containsExactly(Tuple.tuple(carol, "APPLE pie?"),
              Tuple.tuple(bob, "an Apple a day"));
      assertThat(a.search("to bob", 5)).extracting(Message::text)
          .containsExactly("to bob 22", "to bob 21", "to bob 20", "to bob 19", "to bob 18");
      assertThat(a.search("nothing like this", 5)).isEmpty();
      assertThatThrownBy(() -> a.search(" ", 5)).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> a.search("apple", 0)).isInstanceOf(InvalidInputException.class);

      // The chat list's last message, without a history call per chat.
      assertThat(a.contacts()).extracting(Contact::number, x -> x.lastMessage().map(Message::text).orElse(""),
          x -> x.lastMessage().map(Message::direction).orElse(null))
          .containsExactlyInAnyOrder(Tuple.tuple(bob, "thanks for all 23", Direction.INCOMING),
              Tuple.tuple(carol, "APPLE pie?", Direction.INCOMING));
      Message last = a.send(carol, "yes please");
      assertThat(a.contacts()).filteredOn(x -> x.number().equals(carol)).singleElement()
          .satisfies(x -> assertThat(x.lastMessage()).get().satisfies(m -> {
            assertThat(m.id()).isEqualTo(last.id());
            assertThat(m.direction()).isEqualTo(Direction.OUTGOING);
            assertThat(m.status()).isEqualTo(MessageStatus.PENDING);
          }));
    }
  }
}
