package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.net.Credentials;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.ContactTable;
import org.parley.client.internal.store.ConversationTable;
import org.parley.client.internal.store.KyberPreKeyTable;
import org.parley.client.internal.store.MessageTable;
import org.parley.client.internal.store.OutboxTable;
import org.parley.client.internal.store.SessionTable;
import org.parley.client.internal.store.SignedPreKeyTable;
import org.parley.protocol.PreKeyBundleResponse;
import org.parley.protocol.PreKeyCount;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Recorder;
import org.parley.testing.Users;
import org.signal.libsignal.protocol.SignalProtocolAddress;

/** The server's device list and key counts drive the client: 409 "extra device", prekey replenishment. */
class DeviceAndKeyMaintenanceTest {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  static Credentials credentials(Path dataDir) {
    try (Database db = Database.open(dataDir)) {
      AccountTable.Row row = new AccountTable(db).get().orElseThrow();
      return new Credentials(row.accountId(), row.deviceId(), row.password());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<byte[]> get(String path, Credentials as) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(parley.url().resolve(path)).header("Authorization",
        as.basicAuthorization()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * Alice believes Bob has a device 7 (a session left over from a device he since removed): the server answers 409
   * with device 7 as extra, she drops that session and the message goes to the device he has.
   */
  @Test
  void anExtraDeviceIn409IsDroppedAndTheSendSucceeds() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path aliceDir = Files.createTempDirectory("parley-alice");
    try (ParleyClient b = parley.register(bob).client()) {
      Recorder bEvents = new Recorder();
      b.addListener(bEvents);
      b.connect();
      try (ParleyClient a = parley.register(alice, aliceDir).client()) {
        a.connect();
        a.send(bob, "one");
        await().atMost(WAIT).until(() -> bEvents.received.size() == 1);
        assertThat(a.awaitOutboxEmpty(WAIT)).isTrue();
      }
      String bobAccount;
      try (Database db = Database.open(aliceDir)) {
        bobAccount = new ContactTable(db).byNumber(bob).orElseThrow().accountId();
        SessionTable sessions = new SessionTable(db);
        sessions.storeSession(new SignalProtocolAddress(bobAccount, 7),
            sessions.loadSession(new SignalProtocolAddress(bobAccount, 1)));
        assertThat(sessions.devicesWithSessions(bobAccount)).containsExactly(1, 7);
      }
      try (ParleyClient a = parley.reopen(aliceDir)) {
        a.connect();
        Message two = a.send(bob, "two");
        await().atMost(WAIT).until(() -> bEvents.received.size() == 2);
        assertThat(bEvents.received.get(1).text()).isEqualTo("two");
        await().atMost(WAIT).until(() -> MessagingTest.statusOf(a, bob, two.id()) == MessageStatus.DELIVERED);
      }
      try (Database db = Database.open(aliceDir)) {
        assertThat(new SessionTable(db).devicesWithSessions(bobAccount)).containsExactly(1);
      }
    }
  }

  @Test
  void oneTimePrekeysAreReplenishedWhenTheServerRunsLow() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path aliceDir = Files.createTempDirectory("parley-alice");
    Path bobDir = Files.createTempDirectory("parley-bob");
    parley.register(alice, aliceDir).client().close();
    parley.register(bob, bobDir).client().close();
    Credentials asAlice = credentials(aliceDir);
    Credentials asBob = credentials(bobDir);
    assertThat(count(asBob).getEcCount()).isEqualTo(100);
    assertThat(count(asBob).getPqCount()).isEqualTo(100);
    // Others starting sessions with Bob use up his one-time keys.
    for (int i = 0; i < 85; i++) {
      assertThat(get("/v1/keys/" + asBob.accountId() + "/1", asAlice).statusCode()).isEqualTo(200);
    }
    assertThat(count(asBob).getEcCount()).isEqualTo(15);
    try (ParleyClient b = parley.reopen(bobDir)) {
      b.connect();
      await().atMost(WAIT).until(() -> count(asBob).getEcCount() == 115 && count(asBob).getPqCount() == 115);
    }
  }

  /**
   * Bob's client runs a week and a day later: it uploads a new signed prekey, and a first message Alice sent with
   * the old one while he was away still decrypts (the old key is kept for a month).
   */
  @Test
  void theSignedAndLastResortPrekeysAreRotatedAfterAWeekAndTheOldOnesStillDecrypt() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path aliceDir = Files.createTempDirectory("parley-alice");
    Path bobDir = Files.createTempDirectory("parley-bob");
    parley.register(bob, bobDir).client().close();
    Credentials asBob = credentials(bobDir);
    try (ParleyClient a = parley.register(alice, aliceDir).client()) {
      a.connect();
      Message sent = a.send(bob, "sent with last week's signed prekey");
      await().atMost(WAIT).until(() -> MessagingTest.statusOf(a, bob, sent.id()) == MessageStatus.SENT);
    }
    Credentials asAlice = credentials(aliceDir);
    int before = signedPreKeyId(asAlice, asBob);

    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(8));
    try (ParleyClient b = ParleyClient.open(new ClientOptions(bobDir, Optional.of(parley.url()), Optional.empty(),
        later))) {
      Recorder events = new Recorder();
      b.addListener(events);
      b.connect();
      await().atMost(WAIT).until(() -> events.received.size() == 1);
      assertThat(events.received.get(0).text()).isEqualTo("sent with last week's signed prekey");
      await().atMost(WAIT).until(() -> signedPreKeyId(asAlice, asBob) != before);
    }
    // Bob's side keeps the old keys (retention) next to the new ones; a new last-resort Kyber key came with them.
    try (Database db = Database.open(bobDir)) {
      assertThat(new SignedPreKeyTable(db).loadSignedPreKeys()).hasSize(2);
      assertThat(new KyberPreKeyTable(db).lastResortKeys()).hasSize(2);
    }
  }

  /** The server no longer knows the recipient's account (404): the message is marked failed, not retried for ever. */
  @Test
  void aMessageToAnAccountTheServerDoesNotKnowFails() throws Exception {
    String alice = Users.newNumber();
    String ghost = Users.newNumber();
    Path aliceDir = Files.createTempDirectory("parley-alice");
    parley.register(alice, aliceDir).client().close();
    long messageId;
    try (Database db = Database.open(aliceDir)) {
      AccountTable.Row own = new AccountTable(db).get().orElseThrow();
      String ghostAccount = UUID.randomUUID().toString();
      new ContactTable(db).put(ghostAccount, ghost, System.currentTimeMillis());
      long now = System.currentTimeMillis();
      long conversation = new ConversationTable(db).touch(ghostAccount, now);
      messageId = new MessageTable(db).insertOutgoing(conversation, own.accountId(), own.deviceId(), "hello?", now,
          MessageStatus.PENDING);
      Content content = Content.newBuilder().setSenderNumber(alice)
          .setData(DataMessage.newBuilder().setText("hello?").setTimestamp(now)).build();
      new OutboxTable(db).add(ghostAccount, Contents.encode(content), now, messageId, now);
    }
    try (ParleyClient a = parley.reopen(aliceDir)) {
      Recorder events = new Recorder();
      a.addListener(events);
      a.connect();
      await().atMost(WAIT).until(() -> events.statuses.stream().anyMatch(m -> m.status() == MessageStatus.FAILED));
      assertThat(a.history(ghost, 10)).singleElement().satisfies(m -> {
        assertThat(m.id()).isEqualTo(messageId);
        assertThat(m.status()).isEqualTo(MessageStatus.FAILED);
      });
      assertThat(a.awaitOutboxEmpty(WAIT)).isTrue();
    }
  }

  static int signedPreKeyId(Credentials as, Credentials of) throws Exception {
    HttpResponse<byte[]> response = get("/v1/keys/" + of.accountId() + "/1", as);
    assertThat(response.statusCode()).isEqualTo(200);
    return PreKeyBundleResponse.parseFrom(response.body()).getDevices(0).getSignedPreKey().getKeyId();
  }

  static PreKeyCount count(Credentials as) throws Exception {
    HttpResponse<byte[]> response = get("/v1/keys/count", as);
    assertThat(response.statusCode()).isEqualTo(200);
    return PreKeyCount.parseFrom(response.body());
  }
}
