package org.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Message;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyListener;
import org.parley.client.internal.connection.FaultInjection;
import org.parley.client.internal.messaging.ContentDispatcher;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.messaging.Inbox;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.store.AccountTable;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.Route;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyBundle;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SignalProtocolStore;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;

/**
 * The composition root as it is wired, without a server: real H2 files, real libsignal sessions, the real inbox and
 * content handlers.
 */
class ClientComponentsTest {

  private static final String ALICE = "+15550000001";
  private static final String BOB = "+15550000002";

  private static ClientComponents open(String accountId, String number, int registrationId,
      ContentDispatcher.UnhandledContent unhandled) throws Exception {
    ClientComponents components = ClientComponents.open(ClientOptions.of(Files.createTempDirectory("parley-root-"
        + accountId), URI.create("http://127.0.0.1:9")), FaultInjection.NONE, unhandled);
    components.accountTable().replace(new AccountTable.Row("http://127.0.0.1:9", number, registrationId,
        IdentityKeyPair.generate().serialize(), "password-of-" + accountId, null, accountId, 1, 1, 1, 1, true,
        System.currentTimeMillis()));
    return components;
  }

  @Test
  void everyKindOfContentAndEveryPushedRouteHasItsHandler() throws Exception {
    try (ClientComponents components = open("alice", ALICE, 1, ContentDispatcher.LOG_WARNING)) {
      Set<Content.BodyCase> kinds = EnumSet.allOf(Content.BodyCase.class);
      kinds.remove(Content.BodyCase.BODY_NOT_SET);
      assertThat(components.contentDispatcher().kinds())
          .as("a field added to Content's body needs a ContentHandler registered in ClientComponents")
          .containsExactlyInAnyOrderElementsOf(kinds);
      assertThat(components.pushRouter().routes())
          .as("a route the server pushes needs a PushHandler registered in ClientComponents")
          .containsExactlyInAnyOrderElementsOf(Route.of(Route.Direction.TO_CLIENT));
    }
  }

  @Test
  void openingAClientStartsNoThreadUntilItConnects() throws Exception {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    try (ClientComponents components = open("alice", ALICE, 1, ContentDispatcher.LOG_WARNING)) {
      assertThat(components.client().account().number()).isEqualTo(ALICE);
      assertThatThrownBy(() -> components.client().history(BOB, 10)).isInstanceOf(NotFoundException.class);
    }
    Set<String> started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
        .map(Thread::getName).filter(name -> name.startsWith("parley-")).collect(Collectors.toSet());
    assertThat(started).isEmpty();
  }

  @Test
  void contentNothingHandlesIsAcknowledgedReportedOnceAndTheSessionGoesOn() throws Exception {
    List<String> reports = new CopyOnWriteArrayList<>();
    try (ClientComponents alice = open("alice", ALICE, 1, ContentDispatcher.LOG_WARNING);
        ClientComponents bob = open("bob", BOB, 2, (content, reason) ->
            reports.add(content.sourceAccount() + "." + content.sourceDevice() + ": " + reason))) {
      new SessionBuilder(alice.protocolStore(), new SignalProtocolAddress("bob", 1))
          .process(bundle(bob.protocolStore(), 2));
      List<String> received = new CopyOnWriteArrayList<>();
      bob.client().addListener(new ParleyListener() {
        @Override
        public void messageReceived(Message message) {
          received.add(message.contactNumber() + ": " + message.text());
        }
      });

      // A kind of content from a newer client: acknowledged and reported, the session advanced all the same.
      Envelope newer = envelope(alice, newerContent(), "guid-newer");
      Inbox.Result first = bob.inbox().process(newer);
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.outcome()).isEqualTo(Inbox.Outcome.STORED);
      first.afterCommit().run();
      assertThat(reports).containsExactly(
          "alice.1: an unknown kind of content (Content field 999), perhaps from a newer client");

      // Delivered again (our acknowledgement was lost): a known GUID, only acknowledged.
      Inbox.Result again = bob.inbox().process(newer);
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.outcome()).isEqualTo(Inbox.Outcome.DUPLICATE);
      assertThat(reports).hasSize(1);

      Inbox.Result empty = bob.inbox().process(envelope(alice, Content.newBuilder().setSenderNumber(ALICE).build(),
          "guid-empty"));
      assertThat(empty.status()).isEqualTo(200);
      assertThat(reports).last().isEqualTo("alice.1: empty content: no body is set");

      // The session still carries ordinary messages, and listeners hear of one only after the commit.
      Inbox.Result hello = bob.inbox().process(envelope(alice, Content.newBuilder().setSenderNumber(ALICE)
          .setData(DataMessage.newBuilder().setText("hello").setTimestamp(1_000)).build(), "guid-hello"));
      assertThat(hello.outcome()).isEqualTo(Inbox.Outcome.STORED);
      assertThat(received).isEmpty();
      hello.afterCommit().run();
      assertThat(received).containsExactly(ALICE + ": hello");
      assertThat(reports).hasSize(2);
    }
  }

  @Test
  void aBatchIsOneTransactionInWhichAFailingEnvelopeRollsBackOnlyItself() throws Exception {
    try (ClientComponents alice = open("alice", ALICE, 1, ContentDispatcher.LOG_WARNING);
        ClientComponents bob = open("bob", BOB, 2, ContentDispatcher.LOG_WARNING)) {
      new SessionBuilder(alice.protocolStore(), new SignalProtocolAddress("bob", 1))
          .process(bundle(bob.protocolStore(), 2));
      Envelope first = envelope(alice, text(ALICE, "first", 1_000), "guid-1");
      // Decrypts (advancing the session inside the transaction), then fails the sender check: rolled back alone.
      Envelope forged = envelope(alice, text("+15550009999", "forged", 1_500), "guid-forged");
      Envelope second = envelope(alice, text(ALICE, "second", 2_000), "guid-2");

      List<Inbox.Result> results = bob.inbox().processBatch(List.of(first, forged, second, first));

      assertThat(results).extracting(Inbox.Result::outcome).containsExactly(Inbox.Outcome.STORED,
          Inbox.Outcome.DROPPED, Inbox.Outcome.STORED, Inbox.Outcome.DUPLICATE);
      assertThat(results).extracting(Inbox.Result::status).containsOnly(200);
      assertThat(bob.client().history(ALICE, 10)).extracting(Message::text).containsExactly("first", "second");
      // The two delivery receipts are one outbox row, and the forged message's GUID is remembered as processed.
      int receiptRows = bob.database().inTransaction(c -> {
        try (var count = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE destination_account = 'alice'");
            var rows = count.executeQuery()) {
          rows.next();
          return rows.getInt(1);
        }
      });
      assertThat(receiptRows).isEqualTo(1);
      assertThat(bob.inbox().process(forged).outcome()).isEqualTo(Inbox.Outcome.DUPLICATE);
      // The session goes on after the rolled-back decrypt.
      Inbox.Result third = bob.inbox().process(envelope(alice, text(ALICE, "third", 3_000), "guid-3"));
      assertThat(third.outcome()).isEqualTo(Inbox.Outcome.STORED);
      assertThat(bob.client().history(ALICE, 10)).extracting(Message::text)
          .containsExactly("first", "second", "third");
    }
  }

  private static Content text(String senderNumber, String text, long timestamp) {
    return Content.newBuilder().setSenderNumber(senderNumber)
        .setData(DataMessage.newBuilder().setText(text).setTimestamp(timestamp)).build();
  }

  /** What a newer client writes: the sender's number and a body in a field this version does not know. */
  private static Content newerContent() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(1, ALICE);
    out.writeBytes(999, ByteString.copyFromUtf8("a kind of content from the future"));
    out.flush();
    return Content.parseFrom(bytes.toByteArray());
  }

  /** Alice's {@code content} for Bob's device 1, as the server would deliver it. */
  private static Envelope envelope(ClientComponents alice, Content content, String guid) {
    OutgoingMessage out = alice.sessionCrypto().encrypt("bob", List.of(1), Contents.encode(content)).get(0);
    return Envelope.newBuilder().setType(out.getType()).setSourceAccount("alice").setSourceNumber(ALICE)
        .setSourceDevice(1).setDestinationAccount("bob").setDestinationDevice(1).setServerGuid(guid)
        .setClientTimestamp(1_000).setContent(out.getContent()).build();
  }

  /** A prekey bundle of {@code store}'s identity, its private keys stored in it. */
  private static PreKeyBundle bundle(SignalProtocolStore store, int registrationId) throws Exception {
    IdentityKeyPair identity = store.getIdentityKeyPair();
    ECKeyPair preKey = ECKeyPair.generate();
    store.storePreKey(1, new PreKeyRecord(1, preKey));
    ECKeyPair signed = ECKeyPair.generate();
    byte[] signature = identity.getPrivateKey().calculateSignature(signed.getPublicKey().serialize());
    store.storeSignedPreKey(1, new SignedPreKeyRecord(1, System.currentTimeMillis(), signed, signature));
    KEMKeyPair kyber = KEMKeyPair.generate(KEMKeyType.KYBER_1024);
    byte[] kyberSignature = identity.getPrivateKey().calculateSignature(kyber.getPublicKey().serialize());
    store.storeKyberPreKey(1, new KyberPreKeyRecord(1, System.currentTimeMillis(), kyber, kyberSignature));
    return new PreKeyBundle(registrationId, 1, 1, preKey.getPublicKey(), 1, signed.getPublicKey(), signature,
        identity.getPublicKey(), 1, kyber.getPublicKey(), kyberSignature);
  }
}
