package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.Message.Direction;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyClient;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Recorder;
import org.parley.testing.TestUser;

/** Real clients, real libsignal, real H2, real WebSockets against the real server on loopback. */
class MessagingTest {

  static final Duration WAIT = Duration.ofSeconds(20);

  /** One server for the class; every test gets two new users, Alice and Bob. */
  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().users(2).build();

  static MessageStatus statusOf(ParleyClient client, String number, long id) throws Exception {
    return client.history(number, 100).stream().filter(m -> m.id() == id).findFirst().orElseThrow().status();
  }

  @Test
  void twoClientsChatBothWaysAndStatusesGoSentDeliveredRead() throws Exception {
    String alice = parley.user(0).number();
    String bob = parley.user(1).number();
    ParleyClient a = parley.user(0).client();
    ParleyClient b = parley.user(1).client();
    Recorder aEvents = parley.user(0).events();
    Recorder bEvents = parley.user(1).events();
    a.connect();
    b.connect();

    Message sent = a.send(bob, "hello bob");
    assertThat(sent.status()).isEqualTo(MessageStatus.PENDING);
    await().atMost(WAIT).until(() -> bEvents.received.size() == 1);
    Message got = bEvents.received.get(0);
    assertThat(got.text()).isEqualTo("hello bob");
    assertThat(got.contactNumber()).isEqualTo(alice);
    assertThat(got.direction()).isEqualTo(Direction.INCOMING);
    assertThat(got.timestamp()).isEqualTo(sent.timestamp());

    await().atMost(WAIT).until(() -> statusOf(a, bob, sent.id()) == MessageStatus.DELIVERED);
    assertThat(aEvents.statuses).extracting(Message::status)
        .containsSubsequence(MessageStatus.SENT, MessageStatus.DELIVERED);

    assertThat(b.markRead(alice)).isEqualTo(1);
    assertThat(b.markRead(alice)).isZero();
    await().atMost(WAIT).until(() -> statusOf(a, bob, sent.id()) == MessageStatus.READ);

    Message reply = b.send(alice, "hi alice");
    await().atMost(WAIT).until(() -> aEvents.received.size() == 1);
    assertThat(aEvents.received.get(0).text()).isEqualTo("hi alice");
    await().atMost(WAIT).until(() -> statusOf(b, alice, reply.id()) == MessageStatus.DELIVERED);

    List<Message> history = a.history(bob, 10);
    assertThat(history).extracting(Message::text).containsExactly("hello bob", "hi alice");
    assertThat(history).extracting(Message::direction).containsExactly(Direction.OUTGOING, Direction.INCOMING);
    assertThat(a.contacts()).singleElement().satisfies(c -> {
      assertThat(c.number()).isEqualTo(bob);
      assertThat(c.unread()).isEqualTo(1);
      assertThat(c.identityChangedAt()).isEmpty();
    });
    assertThat(b.contacts()).singleElement().satisfies(c -> assertThat(c.unread()).isZero());
  }

  @Test
  void threeUsersEachTalkToTheOthers() throws Exception {
    List<TestUser> users = List.of(parley.user(0), parley.user(1), parley.register());
    String[] numbers = users.stream().map(TestUser::number).toArray(String[]::new);
    ParleyClient[] clients = users.stream().map(TestUser::client).toArray(ParleyClient[]::new);
    Recorder[] events = users.stream().map(TestUser::events).toArray(Recorder[]::new);
    for (ParleyClient client : clients) {
      client.connect();
    }
    for (int from = 0; from < 3; from++) {
      for (int to = 0; to < 3; to++) {
        if (from != to) {
          clients[from].send(numbers[to], "from " + from + " to " + to);
        }
      }
    }
    for (int i = 0; i < 3; i++) {
      int me = i;
      await().atMost(WAIT).until(() -> events[me].received.size() == 2);
      assertThat(events[me].received).extracting(Message::text)
          .containsExactlyInAnyOrder("from " + (me + 1) % 3 + " to " + me, "from " + (me + 2) % 3 + " to " + me);
      assertThat(clients[me].contacts()).hasSize(2);
    }
    for (int i = 0; i < 3; i++) {
      int me = i;
      await().atMost(WAIT).until(() -> clients[me].contacts().stream().allMatch(c -> {
        try {
          return clients[me].history(c.number(), 10).stream()
              .filter(m -> m.direction() == Direction.OUTGOING)
              .allMatch(m -> m.status() == MessageStatus.DELIVERED);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
  }

  @Test
  void messageToAnOfflineClientArrivesWhenItComesOnline() throws Exception {
    String bob = parley.user(1).number();
    parley.user(1).client().close();
    ParleyClient a = parley.user(0).client();
    a.connect();
    Message first = a.send(bob, "while you were away 1");
    Message second = a.send(bob, "while you were away 2");
    await().atMost(WAIT).until(() -> statusOf(a, bob, second.id()) == MessageStatus.SENT
        && statusOf(a, bob, first.id()) == MessageStatus.SENT);
    assertThat(parley.server().queued()).isGreaterThanOrEqualTo(2);

    ParleyClient b = parley.reopen(parley.user(1).dataDir());
    Recorder bEvents = new Recorder();
    b.addListener(bEvents);
    b.connect();
    assertThat(b.awaitQueueDrained(WAIT)).isTrue();
    assertThat(bEvents.received).extracting(Message::text)
        .containsExactly("while you were away 1", "while you were away 2");
    await().atMost(WAIT).until(() -> statusOf(a, bob, second.id()) == MessageStatus.DELIVERED);
  }

  @Test
  void readReceiptsCanBeTurnedOff() throws Exception {
    String alice = parley.user(0).number();
    String bob = parley.user(1).number();
    ParleyClient a = parley.user(0).client();
    ParleyClient b = parley.user(1).client();
    a.connect();
    b.connect();
    b.setReadReceipts(false);
    Message sent = a.send(bob, "do not tell me you read this");
    await().atMost(WAIT).until(() -> statusOf(a, bob, sent.id()) == MessageStatus.DELIVERED);
    assertThat(b.markRead(alice)).isEqualTo(1);
    assertThat(b.history(alice, 10)).singleElement().extracting(Message::status).isEqualTo(MessageStatus.READ);
    // A second message proves the channel still works; its delivery receipt comes after any read receipt would.
    Message later = a.send(bob, "second");
    await().atMost(WAIT).until(() -> statusOf(a, bob, later.id()) == MessageStatus.DELIVERED);
    assertThat(b.awaitOutboxEmpty(WAIT)).isTrue();
    assertThat(statusOf(a, bob, sent.id())).isEqualTo(MessageStatus.DELIVERED);
  }

  @Test
  void typingIndicatorsReachAnOnlineContact() throws Exception {
    String alice = parley.user(0).number();
    String bob = parley.user(1).number();
    ParleyClient a = parley.user(0).client();
    ParleyClient b = parley.user(1).client();
    Recorder bEvents = parley.user(1).events();
    a.connect();
    b.connect();
    a.send(bob, "first a normal message");
    await().atMost(WAIT).until(() -> bEvents.received.size() == 1);
    a.sendTyping(bob, true);
    await().atMost(WAIT).until(() -> bEvents.typing.size() == 1);
    assertThat(bEvents.typing.get(0).number()).isEqualTo(alice);
    assertThat(bEvents.typing.get(0).started()).isTrue();
  }

  @Test
  void presenceOfAContactIsReportedAndFollowed() throws Exception {
    String alice = parley.user(0).number();
    String bob = parley.user(1).number();
    // Bob's presence is visible to those he has written to (server ADR 0170).
    ParleyClient bobClient = parley.user(1).client();
    bobClient.connect();
    bobClient.send(alice, "you may see when I am online");
    assertThat(bobClient.awaitOutboxEmpty(WAIT)).isTrue();
    parley.user(1).client().close();
    ParleyClient a = parley.user(0).client();
    Recorder aEvents = parley.user(0).events();
    a.connect();
    await().atMost(WAIT).until(() -> aEvents.connections.contains("true connected"));
    assertThat(a.presence(bob).online()).isFalse();
    try (ParleyClient b = parley.reopen(parley.user(1).dataDir())) {
      b.connect();
      await().atMost(WAIT).until(() -> aEvents.presence.stream().anyMatch(p -> p.number().equals(bob)
          && p.online()));
    }
    await().atMost(WAIT).until(() -> aEvents.presence.stream().anyMatch(p -> p.number().equals(bob)
        && !p.online()));
  }

  @Test
  void badInputGetsClearErrors() throws Exception {
    String alice = parley.user(0).number();
    ParleyClient a = parley.user(0).client();
    assertThatThrownBy(() -> a.send("12345", "x")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("E.164");
    assertThatThrownBy(() -> a.send(parley.newNumber(), "x")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("No Parley account");
    assertThatThrownBy(() -> a.send(alice, "x")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> a.send(parley.newNumber(), " ")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> a.history(parley.newNumber(), 10)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> a.requestCode(alice)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("already registered");
  }
}
