package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.server.support.TestServer;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Recorder;
import org.parley.testing.Users;

class DurabilityTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  /** For the test that leaves the server running; the others stop and restart a server of their own. */
  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  /** Files under {@code dir} whose bytes contain {@code needle}. */
  static List<Path> filesContaining(Path dir, byte[] needle) throws IOException {
    List<Path> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(file);
        if (indexOf(bytes, needle) >= 0) {
          hits.add(file);
        }
      }
    }
    return hits;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void neitherTheServerNorTheLocalDatabasesHoldThePlaintext() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path aliceDir = Files.createTempDirectory("parley-alice");
    Path bobDir = Files.createTempDirectory("parley-bob");
    String canary = "canary-" + UUID.randomUUID();
    byte[] needle = canary.getBytes(StandardCharsets.UTF_8);
    TestServer server = parley.server();
    parley.register(bob, bobDir).client().close();
    try (ParleyClient a = parley.register(alice, aliceDir).client()) {
      a.connect();
      Message sent = a.send(bob, canary);
      await().atMost(WAIT).until(() -> MessagingTest.statusOf(a, bob, sent.id()) == MessageStatus.SENT);
      // The server holds the message for Bob now.
      assertThat(server.queued()).isPositive();
      assertThat(filesContaining(server.dataDir, needle)).isEmpty();
      // The scan does find what is there in the clear: the dev SMS outbox has Bob's number.
      assertThat(filesContaining(server.dataDir, bob.getBytes(StandardCharsets.UTF_8))).isNotEmpty();

      try (ParleyClient b = parley.reopen(bobDir)) {
        Recorder events = new Recorder();
        b.addListener(events);
        b.connect();
        await().atMost(WAIT).until(() -> events.received.size() == 1);
        assertThat(b.history(alice, 10)).singleElement().extracting(Message::text).isEqualTo(canary);
        await().atMost(WAIT).until(() -> MessagingTest.statusOf(a, bob, sent.id()) == MessageStatus.DELIVERED);
      }
    }
    assertThat(filesContaining(aliceDir, needle)).isEmpty();
    assertThat(filesContaining(bobDir, needle)).isEmpty();
    assertThat(filesContaining(server.dataDir, needle)).isEmpty();
    assertThat(Files.readString(aliceDir.resolve("db.key")).trim()).matches("[0-9a-f]{64}");
    assertThat(Files.getPosixFilePermissions(aliceDir.resolve("db.key")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
  }

  /** A message written to the outbox while the server is down goes out when the client can reach it again. */
  @Test
  void theOutboxSurvivesARestartAndSendsWhenTheServerIsBack() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path aliceDir = Files.createTempDirectory("parley-alice");
    try (TestServer own = TestServer.start()) {
      try (ParleyClient b = Users.register(own, bob)) {
        Recorder bEvents = new Recorder();
        b.addListener(bEvents);
        b.connect();
        Message sent;
        try (ParleyClient a = Users.register(own, alice, aliceDir)) {
          a.send(bob, "warm-up"); // resolves Bob while the server is up
          own.stop();
          a.connect();
          sent = a.send(bob, "written while the server was down");
          assertThat(a.awaitOutboxEmpty(Duration.ofSeconds(1))).isFalse();
          assertThat(MessagingTest.statusOf(a, bob, sent.id())).isEqualTo(MessageStatus.PENDING);
        }
        own.restart();
        try (ParleyClient a = Users.reopen(own, aliceDir)) {
          assertThat(MessagingTest.statusOf(a, bob, sent.id())).isEqualTo(MessageStatus.PENDING);
          a.connect();
          await().atMost(WAIT).until(() -> bEvents.received.size() == 2);
          assertThat(bEvents.received).extracting(Message::text)
              .containsExactly("warm-up", "written while the server was down");
          await().atMost(WAIT).until(() -> MessagingTest.statusOf(a, bob, sent.id()) == MessageStatus.DELIVERED);
        }
      }
    }
  }

  @Test
  void clientsReconnectAfterTheServerRestarts() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    try (TestServer own = TestServer.start();
        ParleyClient a = Users.register(own, alice); ParleyClient b = Users.register(own, bob)) {
      Recorder aEvents = new Recorder();
      Recorder bEvents = new Recorder();
      a.addListener(aEvents);
      b.addListener(bEvents);
      a.connect();
      b.connect();
      await().atMost(WAIT).until(() -> bEvents.connections.contains("true connected"));
      own.restart();
      await().atMost(WAIT).until(() -> bEvents.connections.stream().filter(s -> s.startsWith("true")).count() == 2);
      a.send(bob, "after the restart");
      await().atMost(WAIT).until(() -> bEvents.received.size() == 1);
    }
  }
}
