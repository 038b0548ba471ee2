package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.Message.Direction;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyClient;
import org.parley.client.support.LocalServer;
import org.parley.client.support.Recorder;
import org.parley.client.support.Users;

/** Real clients, real libsignal, real H2, real WebSockets against the real server on loopback. */
class MessagingTest {

  static final Duration WAIT = Duration.ofSeconds(20);
  static LocalServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = LocalServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  static MessageStatus statusOf(ParleyClient client, String number, long id) throws Exception {
    return client.history(number, 100).stream().filter(m -> m.id() == id).findFirst().orElseThrow().status();
  }

  @Test
  void twoClientsChatBothWaysAndStatusesGoSentDeliveredRead() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    try (ParleyClient a = Users.register(server, alice); ParleyClient b = Users.register(server, bob)) {
      Recorder aEvents = new Recorder();
      Recorder bEvents = new Recorder();
      a.addListener(aEvents);
      b.addListener(bEvents);
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
  }

  @Test
  void threeUsersEachTalkToTheOthers() throws Exception {
    String[] numbers = {Users.newNumber(), Users.newNumber(), Users.newNumber()};
    ParleyClient[] clients = new ParleyClient[3];
    Recorder[] events = new Recorder[3];
    try {
      for (int i = 0; i < 3; i++) {
        clients[i] = Users.register(server, numbers[i]);
        events[i] = new Recorder();
        clients[i].addListener(events[i]);
        clients[i].connect();
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
    } finally {
      for (ParleyClient c : clients) {
        if (c != null) {
          c.close();
        }
      }
    }
  }

  @Test
  void messageToAnOfflineClientArrivesWhenItComesOnline() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path bobDir = Files.createTempDirectory("parley-bob");
    Users.register(server, bob, bobDir).close();
    try (ParleyClient a = Users.register(server, alice)) {
      a.connect();
      Message first = a.send(bob, "while you were away 1");
      Message second = a.send(bob, "while you were away 2");
      await().atMost(WAIT).until(() -> statusOf(a, bob, second.id()) == MessageStatus.SENT
          && statusOf(a, bob, first.id()) == MessageStatus.SENT);
      assertThat(server.queued()).isGreaterThanOrEqualTo(2);

      try (ParleyClient b = Users.reopen(server, bobDir)) {
        Recorder bEvents = new Recorder();
        b.addListener(bEvents);
        b.connect();
        assertThat(b.awaitQueueDrained(WAIT)).isTrue();
        assertThat(bEvents.received).extracting(Message::text)
            .containsExactly("while you were away 1", "while you were away 2");
        await().atMost(WAIT).until(() -> statusOf(a, bob, second.id()) == MessageStatus.DELIVERED);
      }
    }
  }

  @Test
  void readReceiptsCanBeTurnedOff() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    try (ParleyClient a = Users.register(server, alice); ParleyClient b = Users.register(server, bob)) {
      Recorder bEvents = new Recorder();
      b.addListener(bEvents);
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
  }

  @Test
  void typingIndicatorsReachAnOnlineContact() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    try (ParleyClient a = Users.register(server, alice); ParleyClient b = Users.register(server, bob)) {
      Recorder bEvents = new Recorder();
      b.addListener(bEvents);
      a.connect();
      b.connect();
      a.send(bob, "first a normal message");
      await().atMost(WAIT).until(() -> bEvents.received.size() == 1);
      a.sendTyping(bob, true);
      await().atMost(WAIT).until(() -> bEvents.typing.size() == 1);
      assertThat(bEvents.typing.get(0).number()).isEqualTo(alice);
      assertThat(bEvents.typing.get(0).started()).isTrue();
    }
  }

  @Test
  void presenceOfAContactIsReportedAndFollowed() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path bobDir = Files.createTempDirectory("parley-bob");
    Users.register(server, bob, bobDir).close();
    try (ParleyClient a = Users.register(server, alice)) {
      Recorder aEvents = new Recorder();
      a.addListener(aEvents);
      a.connect();
      await().atMost(WAIT).until(() -> aEvents.connections.contains("true connected"));
      assertThat(a.presence(bob).online()).isFalse();
      try (ParleyClient b = Users.reopen(server, bobDir)) {
        b.connect();
        await().atMost(WAIT).until(() -> aEvents.presence.stream().anyMatch(p -> p.number().equals(bob)
            && p.online()));
      }
      await().atMost(WAIT).until(() -> aEvents.presence.stream().anyMatch(p -> p.number().equals(bob)
          && !p.online()));
    }
  }

  @Test
  void badInputGetsClearErrors() throws Exception {
    String alice = Users.newNumber();
    try (ParleyClient a = Users.register(server, alice)) {
      assertThatThrownBy(() -> a.send("12345", "x")).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("E.164");
      assertThatThrownBy(() -> a.send(Users.newNumber(), "x")).isInstanceOf(NotFoundException.class)
          .hasMessageContaining("No Parley account");
      assertThatThrownBy(() -> a.send(alice, "x")).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> a.send(Users.newNumber(), " ")).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> a.history(Users.newNumber(), 10)).isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> a.requestCode(alice)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("already registered");
    }
  }
}
