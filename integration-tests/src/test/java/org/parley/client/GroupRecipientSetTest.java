package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.client.api.AccountInfo;
import org.parley.client.api.groups.GroupId;
import org.parley.protocol.Envelope;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.QueuedMessage;
import org.parley.testing.Linker;

/**
 * The sender's registered recipient set (ADR 0140) going stale and going away: a member links a device (the server
 * answers 409 for the set, the sender fixes its sessions and registers the set again, so the new device gets the
 * next message), and the server restarts (it no longer knows the set: 410, registered again).
 */
class GroupRecipientSetTest extends GroupTestBase {

  private long groupMessagesQueuedFor(AccountInfo device, String from) {
    List<QueuedMessage> queued = parley.server().queue()
        .fetch(new DeviceAddress(device.accountId(), device.deviceId()), 0, 1000);
    return queued.stream().map(m -> envelope(m.envelope())).filter(e -> e.getType() == Envelope.Type.SENDER_KEY
        && e.getSourceAccount().equals(from)).count();
  }

  private static Envelope envelope(byte[] bytes) {
    try {
      return Envelope.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aNewDeviceOfAMemberGetsTheNextMessageAndARestartedServerIsToldTheSetAgain() throws Exception {
    GroupId id = group(alice, "Hikers", bob, carol);
    alice.client().sendToGroup(id, "first");
    await().atMost(WAIT).until(() -> texts(bob.client(), id).contains("first")
        && texts(carol.client(), id).contains("first"));

    // Bob links a desktop, which stays offline: what the server stores for it shows who the send named.
    Linker desktop = parley.link("Bob's desktop");
    bob.client().addDevice(desktop.currentLink(), "Bob");
    AccountInfo bobsDesktop = desktop.awaitLinked().account();
    String aliceId = alice.client().account().accountId();
    assertThat(groupMessagesQueuedFor(bobsDesktop, aliceId)).isZero();

    alice.client().sendToGroup(id, "second");
    await().atMost(WAIT).until(() -> texts(bob.client(), id).contains("second")
        && texts(carol.client(), id).contains("second"));
    await().atMost(WAIT).until(() -> groupMessagesQueuedFor(bobsDesktop, aliceId) == 1);

    // A restart forgets every recipient set (they live in memory): the next send registers Alice's again.
    parley.server().restart();
    alice.client().sendToGroup(id, "third");
    await().atMost(WAIT).until(() -> texts(bob.client(), id).contains("third")
        && texts(carol.client(), id).contains("third"));
    await().atMost(WAIT).until(() -> groupMessagesQueuedFor(bobsDesktop, aliceId) == 2);
    assertThat(texts(carol.client(), id)).containsExactly("first", "second", "third");
  }
}
