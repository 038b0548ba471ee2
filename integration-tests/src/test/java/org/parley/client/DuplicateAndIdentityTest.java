package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.SafetyNumber;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.store.ContactTable;
import org.parley.client.internal.store.OutboxTable;
import org.parley.server.support.TestServer;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Recorder;
import org.parley.testing.Users;

class DuplicateAndIdentityTest {

  static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  /**
   * The sender resends a message it already sent (what happens when it is killed after the server accepted the
   * message but before it removed it from its outbox): a second envelope, new server GUID, same sender timestamp.
   */
  @Test
  void aMessageDeliveredTwiceIsShownOnce() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path aliceDir = Files.createTempDirectory("parley-alice");
    try (ParleyClient b = parley.register(bob).client()) {
      Recorder bEvents = new Recorder();
      b.addListener(bEvents);
      b.connect();
      Message sent;
      try (ParleyClient a = parley.register(alice, aliceDir).client()) {
        a.connect();
        sent = a.send(bob, "only once, please");
        await().atMost(WAIT).until(() -> MessagingTest.statusOf(a, bob, sent.id()) == MessageStatus.DELIVERED);
      }
      // Put the same message back into Alice's outbox, exactly as a resend after a crash would find it.
      try (Database db = Database.open(aliceDir)) {
        String bobAccount = new ContactTable(db).byNumber(bob).orElseThrow().accountId();
        Content again = Content.newBuilder().setSenderNumber(alice).setData(DataMessage.newBuilder()
            .setText("only once, please").setTimestamp(sent.timestamp())).build();
        new OutboxTable(db).add(bobAccount, Contents.encode(again), sent.timestamp(), sent.id(),
            System.currentTimeMillis());
      }
      try (ParleyClient a = parley.reopen(aliceDir)) {
        a.connect();
        assertThat(a.awaitOutboxEmpty(WAIT)).isTrue();
        await().atMost(WAIT).until(() -> parley.server().queued() == 0);
        assertThat(b.awaitOutboxEmpty(WAIT)).isTrue();
        assertThat(bEvents.received).hasSize(1);
        assertThat(b.history(alice, 10)).singleElement().extracting(Message::text).isEqualTo("only once, please");
        assertThat(a.history(bob, 10)).singleElement().extracting(Message::status)
            .isEqualTo(MessageStatus.DELIVERED);
      }
    }
  }

  /**
   * Mallory's message claims to come from Bob's number. The server vouches only for Mallory's account, so Alice
   * drops the message and Bob's number stays Bob's.
   */
  @Test
  void aMessageClaimingSomeoneElsesNumberIsDropped() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    String mallory = Users.newNumber();
    Path malloryDir = Files.createTempDirectory("parley-mallory");
    try (ParleyClient a = parley.register(alice).client(); ParleyClient b = parley.register(bob).client()) {
      Recorder aEvents = new Recorder();
      a.addListener(aEvents);
      a.connect();
      b.connect();
      b.send(alice, "the real Bob");
      await().atMost(WAIT).until(() -> aEvents.received.size() == 1);
      try (ParleyClient m = parley.register(mallory, malloryDir).client()) {
        m.connect();
        m.send(alice, "hello, honest Mallory here");
        await().atMost(WAIT).until(() -> aEvents.received.size() == 2);
      }
      try (Database db = Database.open(malloryDir)) {
        String aliceId = new ContactTable(db).byNumber(alice).orElseThrow().accountId();
        Content forged = Content.newBuilder().setSenderNumber(bob).setData(DataMessage.newBuilder()
            .setText("I am Bob, send money").setTimestamp(System.currentTimeMillis())).build();
        new OutboxTable(db).add(aliceId, Contents.encode(forged), System.currentTimeMillis(), null,
            System.currentTimeMillis());
      }
      try (ParleyClient m = parley.reopen(malloryDir)) {
        m.connect();
        assertThat(m.awaitOutboxEmpty(WAIT)).isTrue();
        // Mallory's next honest message is processed after the forged one.
        m.send(alice, "still Mallory");
        await().atMost(WAIT).until(() -> aEvents.received.size() == 3);
      }
      assertThat(aEvents.received).extracting(Message::text)
          .containsExactly("the real Bob", "hello, honest Mallory here", "still Mallory");
      assertThat(a.history(bob, 10)).extracting(Message::text).containsExactly("the real Bob");
      assertThat(a.contacts()).extracting(c -> c.number()).containsExactlyInAnyOrder(bob, mallory);
    }
  }

  /**
   * The sender's number comes from the envelope (set by the server from the sender's account), so receiving from
   * new contacts costs no number lookup: with the server allowing Alice one lookup a minute, messages from three
   * people she never wrote to all arrive (before, the second sender's lookup got 429 and its message stayed queued).
   */
  @Test
  void newSendersAreRecognisedFromTheEnvelopeWithoutANumberLookup() throws Exception {
    try (TestServer strict = TestServer.start(Map.of("PARLEY_RATE_LIMITS_NUMBER_LOOKUPS", "1/1m"));
        ParleyClient a = Users.register(strict, Users.newNumber())) {
      Recorder aEvents = new Recorder();
      a.addListener(aEvents);
      a.connect();
      String alice = a.account().number();
      List<String> senders = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String number = Users.newNumber();
        senders.add(number);
        try (ParleyClient sender = Users.register(strict, number)) {
          sender.connect();
          sender.send(alice, "hello from sender " + i); // the sender's own (single) lookup finds Alice
          assertThat(sender.awaitOutboxEmpty(WAIT)).isTrue();
        }
      }
      await().atMost(WAIT).until(() -> aEvents.received.size() == 3);
      assertThat(aEvents.received).extracting(Message::contactNumber).containsExactlyElementsOf(senders);
      assertThat(a.contacts()).extracting(c -> c.number()).containsExactlyInAnyOrderElementsOf(senders);
    }
  }

  @Test
  void safetyNumbersMatchOnBothSides() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    try (ParleyClient a = parley.register(alice).client(); ParleyClient b = parley.register(bob).client()) {
      SafetyNumber fromAlice = a.safetyNumber(bob);
      SafetyNumber fromBob = b.safetyNumber(alice);
      assertThat(fromAlice.digits()).matches("(\\d{5} ){11}\\d{5}").isEqualTo(fromBob.digits());
      assertThat(fromAlice.identityChangedAt()).isEmpty();
    }
  }

  /** Bob re-registers (new identity key) and writes first: Alice sees the change when she decrypts. */
  @Test
  void aNewIdentityKeyOnAnIncomingMessageIsDetected() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    try (ParleyClient a = parley.register(alice).client()) {
      Recorder aEvents = new Recorder();
      a.addListener(aEvents);
      a.connect();
      SafetyNumber before;
      try (ParleyClient b = parley.register(bob).client()) {
        b.connect();
        b.send(alice, "hello from the old phone");
        await().atMost(WAIT).until(() -> aEvents.received.size() == 1);
        before = a.safetyNumber(bob);
      }
      try (ParleyClient newBob = parley.register(bob).client()) {
        newBob.connect();
        newBob.send(alice, "new phone, same number");
        await().atMost(WAIT).until(() -> aEvents.received.size() == 2);
        assertThat(aEvents.identities).singleElement().satisfies(change -> assertThat(change.number())
            .isEqualTo(bob));
        SafetyNumber after = a.safetyNumber(bob);
        assertThat(after.digits()).isNotEqualTo(before.digits()).isEqualTo(newBob.safetyNumber(alice).digits());
        assertThat(after.identityChangedAt()).isPresent();
        assertThat(a.contacts()).singleElement().satisfies(c -> assertThat(c.identityChangedAt()).isPresent());

        Recorder bEvents = new Recorder();
        newBob.addListener(bEvents);
        a.send(bob, "welcome back");
        await().atMost(WAIT).until(() -> bEvents.received.size() == 1);
      }
    }
  }

  /**
   * Bob re-registers while Alice still holds a session with his old device: her send gets 409 (stale device), she
   * fetches his new keys, notices the new identity, and the message arrives.
   */
  @Test
  void aStaleDeviceAnswerRefreshesTheSessionAndDetectsTheNewIdentity() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    try (ParleyClient a = parley.register(alice).client()) {
      Recorder aEvents = new Recorder();
      a.addListener(aEvents);
      a.connect();
      try (ParleyClient b = parley.register(bob).client()) {
        Recorder bEvents = new Recorder();
        b.addListener(bEvents);
        b.connect();
        a.send(bob, "to the old phone");
        await().atMost(WAIT).until(() -> bEvents.received.size() == 1);
      }
      try (ParleyClient newBob = parley.register(bob).client()) {
        Recorder bEvents = new Recorder();
        newBob.addListener(bEvents);
        newBob.connect();
        Message sent = a.send(bob, "to the new phone");
        await().atMost(WAIT).until(() -> bEvents.received.size() == 1);
        assertThat(bEvents.received.get(0).text()).isEqualTo("to the new phone");
        await().atMost(WAIT).until(() -> MessagingTest.statusOf(a, bob, sent.id()) == MessageStatus.DELIVERED);
        assertThat(aEvents.identities).singleElement().satisfies(change -> assertThat(change.number())
            .isEqualTo(bob));
      }
    }
  }
}
