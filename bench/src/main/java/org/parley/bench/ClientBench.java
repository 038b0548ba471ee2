package org.parley.bench;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.internal.ClientComponents;
import org.parley.client.internal.connection.FaultInjection;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.messaging.Inbox;
import org.parley.client.internal.messaging.SessionCrypto;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.ProtocolStore;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SignalMessage;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyBundle;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SignalProtocolStore;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;
import org.signal.libsignal.protocol.state.impl.InMemorySignalProtocolStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What client-core costs, three ways, each on one thread of this machine:
 * <ol>
 *   <li><b>bare</b>: libsignal encrypt + decrypt with in-memory stores (the floor);</li>
 *   <li><b>core</b>: the same through client-core — JDBC stores in the encrypted H2 database, then the inbox
 *       (decrypt, store the message, queue the delivery receipt, remember the GUID, commit);</li>
 *   <li><b>e2e</b>: two real clients and an in-process server: send (outbox, encrypt, HTTP PUT, durable queue),
 *       WebSocket delivery, decrypt, store, ack — messages per second until the receiver has stored them all.</li>
 * </ol>
 */
@Command(name = "client-bench", mixinStandardHelpOptions = true,
    description = "Messages per second through client-core, compared with bare libsignal.")
public final class ClientBench implements Callable<Integer> {

  @Option(names = "--messages", defaultValue = "2000",
      description = "Messages per measurement (default ${DEFAULT-VALUE}).")
  int messages;

  @Option(names = "--warmup", defaultValue = "500",
      description = "Messages before measuring (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--e2e-messages", defaultValue = "500",
      description = "Messages end to end (default ${DEFAULT-VALUE}).")
  int e2eMessages;

  public static void main(String[] args) {
    BenchLogging.useBenchConfiguration();
    System.exit(new CommandLine(new ClientBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    double bare = bare();
    System.out.printf("bare libsignal encrypt+decrypt: %.0f msg/s (%d messages, 160-byte plaintext, one thread)%n",
        bare, messages);
    double core = core();
    System.out.printf("client-core encrypt+decrypt+store: %.0f msg/s (%.1fx the bare cost)%n", core, bare / core);
    double e2e = endToEnd();
    System.out.printf("end to end, two clients + server in one JVM: %.0f msg/s (%d messages)%n", e2e, e2eMessages);
    return 0;
  }

  // ---- bare libsignal ----

  private double bare() throws Exception {
    InMemorySignalProtocolStore alice = new InMemorySignalProtocolStore(IdentityKeyPair.generate(), 1);
    InMemorySignalProtocolStore bob = new InMemorySignalProtocolStore(IdentityKeyPair.generate(), 2);
    SignalProtocolAddress bobAddress = new SignalProtocolAddress("bob", 1);
    SignalProtocolAddress aliceAddress = new SignalProtocolAddress("alice", 1);
    new SessionBuilder(alice, bobAddress).process(bundle(bob, 2));
    SessionCipher toBob = new SessionCipher(alice, bobAddress);
    SessionCipher fromAlice = new SessionCipher(bob, aliceAddress);
    byte[] plaintext = new byte[160];
    decrypt(fromAlice, toBob.encrypt(plaintext));
    for (int i = 0; i < warmup; i++) {
      decrypt(fromAlice, toBob.encrypt(plaintext));
    }
    long start = System.nanoTime();
    for (int i = 0; i < messages; i++) {
      decrypt(fromAlice, toBob.encrypt(plaintext));
    }
    return messages / ((System.nanoTime() - start) / 1e9);
  }

  private static void decrypt(SessionCipher cipher, CiphertextMessage message) throws Exception {
    if (message.getType() == CiphertextMessage.PREKEY_TYPE) {
      cipher.decrypt(new PreKeySignalMessage(message.serialize()));
    } else {
      cipher.decrypt(new SignalMessage(message.serialize()));
    }
  }

  /** A prekey bundle for {@code store}, its keys stored in it. */
  static PreKeyBundle bundle(SignalProtocolStore store, int registrationId) throws Exception {
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

  // ---- client-core without the network ----

  /** One side's client-core as its composition root builds it, over its own encrypted database. */
  private static final class Side {
    final ClientComponents components;
    final ProtocolStore store;
    final Inbox inbox;
    final SessionCrypto crypto;

    Side(String accountId, String number, int registrationId) throws Exception {
      components = ClientComponents.open(ClientOptions.of(Files.createTempDirectory("parley-bench-" + accountId),
          URI.create("http://unused")), FaultInjection.NONE);
      components.accountTable().replace(new AccountTable.Row("http://unused", number, registrationId,
          IdentityKeyPair.generate().serialize(), "unused-password-0123", null, accountId, 1, 1, 1, 1, true,
          System.currentTimeMillis()));
      store = components.protocolStore();
      crypto = components.sessionCrypto();
      inbox = components.inbox();
    }
  }

  private double core() throws Exception {
    Side alice = new Side("alice", "+15550000001", 1);
    Side bob = new Side("bob", "+15550000002", 2);
    try {
      new SessionBuilder(alice.store, new SignalProtocolAddress("bob", 1)).process(bundle(bob.store, 2));
      long timestamp = System.currentTimeMillis();
      for (int i = 0; i < warmup; i++) {
        deliver(alice, bob, timestamp++);
      }
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        deliver(alice, bob, timestamp++);
      }
      return messages / ((System.nanoTime() - start) / 1e9);
    } finally {
      alice.components.close();
      bob.components.close();
    }
  }

  private static void deliver(Side from, Side to, long timestamp) {
    Content content = Content.newBuilder().setSenderNumber("+15550000001")
        .setData(DataMessage.newBuilder().setText("a message of about the usual length, to be encrypted")
            .setTimestamp(timestamp)).build();
    OutgoingMessage out = from.crypto.encrypt("bob", List.of(1), Contents.encode(content)).get(0);
    Envelope envelope = Envelope.newBuilder().setType(out.getType()).setSourceAccount("alice").setSourceNumber("+15550000001").setSourceDevice(1)
        .setDestinationAccount("bob").setDestinationDevice(1).setServerGuid(UUID.randomUUID().toString())
        .setClientTimestamp(timestamp).setContent(ByteString.copyFrom(out.getContent().toByteArray())).build();
    Inbox.Result result = to.inbox.process(envelope);
    if (result.status() != 200 || result.outcome() != Inbox.Outcome.STORED) {
      throw new IllegalStateException("message " + timestamp + " was not stored: " + result);
    }
  }

  // ---- end to end ----

  private double endToEnd() throws Exception {
    Path serverDir = Files.createTempDirectory("parley-bench-server");
    try (ParleyServer server = ParleyServer.start(ConfigLoader.load(Optional.empty(), Map.of(
        "PARLEY_SERVER_PORT", "0", "PARLEY_SERVER_DATA_DIR", serverDir.toString(),
        "PARLEY_RATE_LIMITS_MESSAGE_SENDS", "100000/1s", "PARLEY_RATE_LIMITS_SESSIONS_PER_IP", "100/1m",
        "PARLEY_TURN_EMBEDDED", "false", "PARLEY_ADMIN_PORT", "-1")))) {
      URI url = URI.create("http://127.0.0.1:" + server.port());
      try (ParleyClient alice = register(url, serverDir, "+15550000011");
          ParleyClient bob = register(url, serverDir, "+15550000022")) {
        AtomicInteger received = new AtomicInteger();
        bob.addListener(new ParleyListener() {
          @Override
          public void messageReceived(Message message) {
            received.incrementAndGet();
          }
        });
        alice.connect();
        bob.connect();
        bob.awaitQueueDrained(Duration.ofSeconds(30));
        // Warm-up: the session and the JIT.
        for (int i = 0; i < 50; i++) {
          alice.send("+15550000022", "warm-up " + i);
        }
        waitFor(received, 50);
        long start = System.nanoTime();
        for (int i = 0; i < e2eMessages; i++) {
          alice.send("+15550000022", "message " + i);
        }
        waitFor(received, 50 + e2eMessages);
        double rate = e2eMessages / ((System.nanoTime() - start) / 1e9);
        alice.awaitOutboxEmpty(Duration.ofSeconds(60));
        bob.awaitOutboxEmpty(Duration.ofSeconds(60));
        return rate;
      }
    }
  }

  private static void waitFor(AtomicInteger counter, int target) throws InterruptedException {
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (counter.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + counter.get() + " of " + target + " messages arrived");
      }
      Thread.sleep(5);
    }
  }

  static ParleyClient register(URI url, Path serverDir, String number) throws Exception {
    ParleyClient client = ParleyClient.open(new ClientOptions(Files.createTempDirectory("parley-bench-client"),
        Optional.of(url), Optional.empty(), Clock.systemUTC()));
    client.requestCode(number);
    List<String> lines = Files.readAllLines(serverDir.resolve("dev-sms.txt"));
    String code = lines.stream().filter(l -> l.startsWith(number + " ")).reduce((a, b) -> b).orElseThrow()
        .split(" ")[1];
    client.verify(code);
    return client;
  }
}
