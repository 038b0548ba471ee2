package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.AuthenticationException;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Contact;
import org.parley.client.api.DeviceRevoked;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.LinkResult;
import org.parley.client.api.LinkedDevice;
import org.parley.client.api.Message;
import org.parley.client.api.Message.Direction;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NetworkException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.NotRegisteredException;
import org.parley.client.api.ParleyClient;
import org.parley.server.support.TestServer;
import org.parley.testing.Linker;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Recorder;
import org.parley.testing.Users;
import org.signal.libsignal.protocol.ecc.ECKeyPair;

/**
 * A primary links a headless new device through the real provisioning socket; then every message reaches every
 * device, sent messages and read state sync, and unlinking locks the device out.
 */
class LinkedDevicesTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  /** One server for the tests that need no settings of their own; each uses new numbers. */
  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  /** Texts in the conversation with {@code number}; none while there is no conversation yet. */
  private static List<String> texts(ParleyClient client, String number, Direction direction) throws Exception {
    try {
      return client.history(number, 100).stream().filter(m -> m.direction() == direction).map(Message::text)
          .toList();
    } catch (NotFoundException noConversationYet) {
      return List.of();
    }
  }

  private static int unread(ParleyClient client, String number) throws Exception {
    return client.contacts().stream().filter(c -> c.number().equals(number)).mapToInt(Contact::unread).sum();
  }

  @Test
  void aLinkedDeviceGetsEveryMessageAndHistoryAndReadStateSync() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    try (ParleyClient phone = parley.register(alice).client(); ParleyClient b = parley.register(bob).client()) {
      phone.connect();
      b.connect();
      Linker desktop = parley.link("My desktop");
      try (ParleyClient d = desktop.client) {
        String link = desktop.currentLink();
        assertThat(link).startsWith("parley://link?uuid=").contains("&pub_key=");
        LinkedDevice added = phone.addDevice(link, "Alice A.");
        assertThat(added.deviceId()).isEqualTo(2);
        assertThat(added.name()).isEqualTo("My desktop");
        LinkResult linked = desktop.awaitLinked();
        assertThat(linked.account().number()).isEqualTo(alice);
        assertThat(linked.account().deviceId()).isEqualTo(2);
        assertThat(linked.account().accountId()).isEqualTo(phone.account().accountId());
        assertThat(linked.profileName()).isEqualTo("Alice A.");
        assertThat(d.devices()).extracting(LinkedDevice::deviceId, LinkedDevice::thisDevice)
            .containsExactly(Tuple.tuple(1, false), Tuple.tuple(2, true));
        d.connect();

        // A third user's message reaches both devices.
        b.send(alice, "hello both");
        await().atMost(WAIT).until(() -> texts(phone, bob, Direction.INCOMING).contains("hello both"));
        await().atMost(WAIT).until(() -> texts(d, bob, Direction.INCOMING).contains("hello both"));

        // Sent from the linked device: Bob gets it, and it is in the phone's history as ours.
        d.send(bob, "from the desktop");
        await().atMost(WAIT).until(() -> texts(b, alice, Direction.INCOMING).contains("from the desktop"));
        await().atMost(WAIT).until(() -> texts(phone, bob, Direction.OUTGOING).contains("from the desktop"));

        // And the other way round.
        phone.send(bob, "from the phone");
        await().atMost(WAIT).until(() -> texts(b, alice, Direction.INCOMING).contains("from the phone"));
        await().atMost(WAIT).until(() -> texts(d, bob, Direction.OUTGOING).contains("from the phone"));

        // Read on one device, no longer unread on the other.
        b.send(alice, "read me");
        await().atMost(WAIT).until(() -> texts(d, bob, Direction.INCOMING).contains("read me"));
        await().atMost(WAIT).until(() -> texts(phone, bob, Direction.INCOMING).contains("read me"));
        assertThat(unread(d, bob)).isEqualTo(2);
        assertThat(phone.markRead(bob)).isEqualTo(2);
        await().atMost(WAIT).until(() -> unread(d, bob) == 0);

        // And from the linked device back to the phone.
        b.send(alice, "read on the desktop");
        await().atMost(WAIT).until(() -> unread(phone, bob) == 1 && unread(d, bob) == 1);
        assertThat(d.markRead(bob)).isEqualTo(1);
        await().atMost(WAIT).until(() -> unread(phone, bob) == 0);
      }
    }
  }

  @Test
  void anExpiredQrCodeIsReplacedAndOnlyTheCurrentOneWorks() throws Exception {
    try (TestServer own = TestServer.start(Map.of("PARLEY_LINKING_PROVISIONING_LIFETIME", "1s"))) {
      String alice = Users.newNumber();
      try (ParleyClient phone = Users.register(own, alice)) {
        Linker desktop = Linker.start(own, "desktop");
        try (ParleyClient d = desktop.client) {
          String first = desktop.currentLink();
          await().atMost(WAIT).until(() -> desktop.links.size() >= 2);
          assertThat(desktop.links.get(1)).isNotEqualTo(first);
          assertThatThrownBy(() -> phone.addDevice(first, "")).isInstanceOf(NotFoundException.class)
              .hasMessageContaining("scan the code it shows now");
          // The current one, before it too expires (a second is short on a busy machine: retry a few).
          LinkedDevice added = null;
          for (int attempt = 0; added == null && attempt < 10; attempt++) {
            try {
              added = phone.addDevice(desktop.currentLink(), "");
            } catch (NotFoundException expiredMeanwhile) {
              Thread.sleep(100);
            }
          }
          assertThat(added).isNotNull();
          assertThat(desktop.awaitLinked().account().deviceId()).isEqualTo(added.deviceId());
        }
      }
    }
  }

  @Test
  void anUnlinkedDeviceIsLockedOutAtOnceAndBadRequestsGetClearErrors() throws Exception {
    String alice = Users.newNumber();
    try (ParleyClient phone = parley.register(alice).client()) {
      assertThatThrownBy(() -> phone.addDevice("https://example.com", "")).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("Not a Parley link");
      assertThatThrownBy(() -> phone.addDevice("parley://link?uuid=abcdefghijklmnopqrstuv&pub_key=AAAA", ""))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("public key");
      assertThatThrownBy(() -> phone.link("again", uri -> { }, Duration.ofSeconds(1)))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("already registered");

      Linker desktop = parley.link("desktop");
      try (ParleyClient d = desktop.client) {
        phone.addDevice(desktop.currentLink(), "");
        desktop.awaitLinked();
        Recorder events = new Recorder();
        d.addListener(events);
        d.connect();
        await().atMost(WAIT).until(() -> events.connections.stream().anyMatch(c -> c.startsWith("true")));
        assertThatThrownBy(() -> d.addDevice(desktop.currentLink(), "")).isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("primary");
        assertThatThrownBy(() -> d.unlink(1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> phone.unlink(1)).isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("primary device cannot be unlinked");
        assertThatThrownBy(() -> phone.unlink(7)).isInstanceOf(NotFoundException.class);

        // Sessions with device 2 exist on both sides before the unlink: a message each way first.
        String bob = Users.newNumber();
        try (ParleyClient b = parley.register(bob).client()) {
          b.connect();
          phone.connect();
          b.send(alice, "before");
          await().atMost(WAIT).until(() -> texts(d, bob, Direction.INCOMING).contains("before"));
          phone.send(bob, "synced to the desktop");
          await().atMost(WAIT).until(() -> texts(d, bob, Direction.OUTGOING).contains("synced to the desktop"));

          phone.unlink(2);
          assertThat(phone.devices()).extracting(LinkedDevice::deviceId).containsExactly(1);
          await().atMost(WAIT).until(() -> events.connections.stream()
              .anyMatch(c -> c.contains("authentication failed")));
          assertThatThrownBy(d::devices).isInstanceOf(AuthenticationException.class);

          // Both still hold a session with device 2: the server's 409 (extra device) corrects them.
          Message after = b.send(alice, "after");
          await().atMost(WAIT).until(() -> texts(phone, bob, Direction.INCOMING).contains("after"));
          await().atMost(WAIT).until(() -> b.history(alice, 10).stream()
              .anyMatch(m -> m.id() == after.id() && m.status() == MessageStatus.DELIVERED));
          Message reply = phone.send(bob, "still here");
          await().atMost(WAIT).until(() -> texts(b, alice, Direction.INCOMING).contains("still here"));
          await().atMost(WAIT).until(() -> phone.history(bob, 10).stream()
              .anyMatch(m -> m.id() == reply.id() && m.status() != MessageStatus.PENDING
                  && m.status() != MessageStatus.FAILED));
          assertThat(texts(d, bob, Direction.INCOMING)).doesNotContain("after");
        }
      }
    }
  }

  @Test
  void anUnlinkedDeviceReportsTheRevocationOnceAndStopsReconnectingAlsoAfterARestart() throws Exception {
    String alice = Users.newNumber();
    try (ParleyClient phone = parley.register(alice).client()) {
      Linker desktop = parley.link("desktop");
      Recorder events = new Recorder();
      try (ParleyClient d = desktop.client) {
        phone.addDevice(desktop.currentLink(), "");
        desktop.awaitLinked();
        d.addListener(events);
        d.connect();
        await().atMost(WAIT).until(() -> events.connections.stream().anyMatch(c -> c.startsWith("true")));
        assertThat(d.revoked()).isEmpty();

        phone.unlink(2);
        await().atMost(WAIT).until(() -> !events.revocations.isEmpty());
        assertThat(events.revocations).singleElement().satisfies(r -> {
          assertThat(r.reason()).isEqualTo(DeviceRevoked.Reason.UNLINKED);
          assertThat(r.serverMessage()).contains("4401").contains("unlinked");
        });
        assertThat(d.revoked()).contains(events.revocations.get(0));
        // A client that kept reconnecting would log a refused upgrade (and another revocation) every backoff step
        // (250 ms, 500 ms, 1 s, ...).
        int connectionEvents = events.connections.size();
        Thread.sleep(3_000);
        assertThat(events.connections).hasSize(connectionEvents);
        assertThat(events.revocations).hasSize(1);
      }

      // Started again later (the desktop was off when it was unlinked): the refused upgrade (401) says so too.
      Recorder again = new Recorder();
      try (ParleyClient d = ParleyClient.open(ClientOptions.of(desktop.dataDir, parley.url()))) {
        d.addListener(again);
        d.connect();
        await().atMost(WAIT).until(() -> !again.revocations.isEmpty());
        assertThat(again.revocations).singleElement()
            .satisfies(r -> assertThat(r.reason()).isEqualTo(DeviceRevoked.Reason.UNLINKED));
        int connectionEvents = again.connections.size();
        Thread.sleep(3_000);
        assertThat(again.connections).hasSize(connectionEvents).noneMatch(c -> c.startsWith("true"));
        assertThat(again.revocations).hasSize(1);
      }
    }
  }

  @Test
  void aPrimaryWhoseNumberIsRegisteredAgainReportsItWasReplaced() throws Exception {
    String alice = Users.newNumber();
    Recorder events = new Recorder();
    try (ParleyClient first = parley.register(alice).client()) {
      first.addListener(events);
      first.connect();
      await().atMost(WAIT).until(() -> events.connections.stream().anyMatch(c -> c.startsWith("true")));
      try (ParleyClient second = parley.register(alice).client()) {
        await().atMost(WAIT).until(() -> !events.revocations.isEmpty());
        assertThat(events.revocations).singleElement()
            .satisfies(r -> assertThat(r.reason()).isEqualTo(DeviceRevoked.Reason.REREGISTERED));
        assertThat(second.revoked()).isEmpty();
      }
    }
  }

  @Test
  void aProvisioningMessageSealedToAnotherKeyIsRefusedByTheNewDevice() throws Exception {
    String alice = Users.newNumber();
    try (ParleyClient phone = parley.register(alice).client()) {
      Linker desktop = parley.link("desktop");
      try (ParleyClient d = desktop.client) {
        String shown = desktop.currentLink();
        // The device's address with someone else's key: what a swapped or forged QR code would carry.
        String otherKey = Base64.getUrlEncoder().withoutPadding().encodeToString(
            ECKeyPair.generate().getPublicKey().serialize());
        String forged = shown.substring(0, shown.indexOf("&pub_key=") + "&pub_key=".length()) + otherKey;
        // The phone sends it and waits for a registration that never comes (it gives up after a minute).
        CompletableFuture.runAsync(() -> {
          try {
            phone.addDevice(forged, "");
          } catch (Exception expected) {
            // "has not registered", or the test's server is gone
          }
        });
        assertThatThrownBy(desktop::awaitLinked).hasCauseInstanceOf(InvalidInputException.class)
            .hasMessageContaining("not encrypted to this device's key");
        assertThatThrownBy(d::account).isInstanceOf(NotRegisteredException.class);
        assertThat(phone.devices()).extracting(LinkedDevice::deviceId).containsExactly(1);
      }
    }
  }

  @Test
  void waitingForAPrimaryEndsWithAClearTimeout() throws Exception {
    try (ParleyClient lonely = ParleyClient.open(ClientOptions.of(
        Files.createTempDirectory("parley-lonely"), parley.url()))) {
      List<String> shown = new CopyOnWriteArrayList<>();
      assertThatThrownBy(() -> lonely.link("x", shown::add, Duration.ofMillis(1500)))
          .isInstanceOf(NetworkException.class).hasMessageContaining("within");
      assertThat(shown).hasSize(1);
      assertThatThrownBy(lonely::account).isInstanceOf(NotRegisteredException.class);
    }
  }
}
