package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupPermissionException;
import org.parley.client.internal.ClientComponents;
import org.parley.client.internal.messaging.Inbox;
import org.parley.protocol.Envelope;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.QueuedMessage;
import org.parley.testing.Recorder;
import org.parley.testing.TestUser;

/** Adding, removing, promoting and leaving, with the admin rules and sender keys rotating on removal (ADR 0140). */
class GroupMembershipTest extends GroupTestBase {

  @Test
  void aNewMemberReadsOnlyWhatFollowsAndARemovedOneCannotReadWhatFollowsTheirRemoval() throws Exception {
    TestUser dave = dave();
    GroupId id = group(alice, "Team", bob, carol);
    alice.client().sendToGroup(id, "before Dave");
    await().atMost(WAIT).until(() -> texts(carol.client(), id).contains("before Dave"));

    // Only admins change membership and the name.
    assertThatThrownBy(() -> bob.client().addGroupMembers(id, List.of(dave.number())))
        .isInstanceOf(GroupPermissionException.class).hasMessageContaining("only admins may add members");
    assertThatThrownBy(() -> bob.client().renameGroup(id, "Bob's"))
        .isInstanceOf(GroupPermissionException.class).hasMessageContaining("rename");
    assertThatThrownBy(() -> bob.client().removeGroupMember(id, carol.number()))
        .isInstanceOf(GroupPermissionException.class);

    alice.client().addGroupMembers(id, List.of(dave.number()));
    await().atMost(WAIT).until(() -> knows(dave.client(), id)
        && bob.client().group(id).isMember(dave.number()));
    alice.client().sendToGroup(id, "after Dave");
    await().atMost(WAIT).until(() -> texts(dave.client(), id).contains("after Dave"));
    assertThat(texts(dave.client(), id)).containsExactly("after Dave");
    assertThat(systemLines(bob.client(), id)).contains(alice.number() + " added " + dave.number());
    dave.client().sendToGroup(id, "hello from Dave");
    await().atMost(WAIT).until(() -> texts(carol.client(), id).contains("hello from Dave"));

    // Promoted, Bob may rename.
    alice.client().promoteGroupMember(id, bob.number());
    await().atMost(WAIT).until(() -> bob.client().group(id).isAdmin(bob.number()));
    bob.client().renameGroup(id, "Team B");
    await().atMost(WAIT).until(() -> alice.client().group(id).name().equals("Team B")
        && carol.client().group(id).name().equals("Team B"));

    // Carol is removed; she is told, and can no longer send.
    alice.client().removeGroupMember(id, carol.number());
    await().atMost(WAIT).until(() -> !carol.client().group(id).selfIsMember()
        && !dave.client().group(id).isMember(carol.number()));
    assertThat(systemLines(carol.client(), id)).contains(alice.number() + " removed " + carol.number());
    assertThatThrownBy(() -> carol.client().sendToGroup(id, "still here?"))
        .isInstanceOf(GroupPermissionException.class).hasMessageContaining("no longer a member");

    // A message after the removal, captured from Dave's queue on the server while he is away, does not decrypt
    // with anything Carol holds: Alice's sender key was replaced.
    String daveAccount = dave.client().account().accountId();
    dave.client().close();
    alice.client().sendToGroup(id, "after Carol");
    DeviceAddress daveDevice = new DeviceAddress(daveAccount, 1);
    await().atMost(WAIT).until(() -> senderKeyEnvelopes(daveDevice).size() >= 1);
    Envelope captured = senderKeyEnvelopes(daveDevice).get(senderKeyEnvelopes(daveDevice).size() - 1);
    assertThat(parley.server().queue().fetch(new DeviceAddress(carol.client().account().accountId(), 1), 0, 100)
        .stream().map(GroupMembershipTest::envelope).filter(e -> e.getType() == Envelope.Type.SENDER_KEY).toList())
        .as("the server did not queue it for Carol").isEmpty();
    ClientComponents carolsDevice = openDirectly(carol);
    try (ParleyClient c = carolsDevice.client()) {
      Recorder events = new Recorder();
      c.addListener(events);
      Envelope toCarol = captured.toBuilder().setDestinationAccount(c.account().accountId()).build();
      Inbox.Result result = carolsDevice.inbox().process(toCarol);
      assertThat(result.outcome()).isEqualTo(Inbox.Outcome.DROPPED);
      result.afterCommit().run();
      assertThat(texts(c, id)).doesNotContain("after Carol");
      assertThat(events.senderKeyProblems).singleElement().satisfies(p -> {
        assertThat(p.senderNumber()).isEqualTo(alice.number());
        assertThat(p.reason()).contains("asked for it again");
      });
    }
    ParleyClient daveAgain = parley.reopen(dave.dataDir());
    daveAgain.connect();
    await().atMost(WAIT).until(() -> texts(daveAgain, id).contains("after Carol"));

    // Bob leaves.
    bob.client().leaveGroup(id);
    await().atMost(WAIT).until(() -> !alice.client().group(id).isMember(bob.number()));
    assertThat(systemLines(alice.client(), id)).contains(bob.number() + " left");
    assertThat(bob.client().group(id).selfIsMember()).isFalse();
    assertThat(alice.client().group(id).memberNumbers()).containsExactlyInAnyOrder(alice.number(), dave.number());
  }

  @Test
  void theLastAdminLeavingHandsOverToTheLongestStandingMember() throws Exception {
    GroupId id = group(alice, "Hand-over", bob);
    alice.client().addGroupMembers(id, List.of(carol.number()));
    await().atMost(WAIT).until(() -> knows(carol.client(), id));
    alice.client().leaveGroup(id);
    await().atMost(WAIT).until(() -> !carol.client().group(id).isMember(alice.number())
        && !bob.client().group(id).isMember(alice.number()));
    assertThat(bob.client().group(id).admins()).containsExactly(bob.number());
    assertThat(carol.client().group(id).admins()).containsExactly(bob.number());
    bob.client().sendToGroup(id, "still here");
    await().atMost(WAIT).until(() -> texts(carol.client(), id).contains("still here"));
    assertThat(texts(alice.client(), id)).doesNotContain("still here");
  }

  private List<Envelope> senderKeyEnvelopes(DeviceAddress device) {
    return parley.server().queue().fetch(device, 0, 1000).stream().map(GroupMembershipTest::envelope)
        .filter(e -> e.getType() == Envelope.Type.SENDER_KEY).toList();
  }

  private static Envelope envelope(QueuedMessage message) {
    try {
      return Envelope.parseFrom(message.envelope());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
