package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.client.api.Message.Direction;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupMessageInfo;
import org.parley.client.api.groups.MemberReceipt;
import org.parley.testing.TestUser;

/**
 * Group chats end to end (ADR 0140): real server on loopback, real libsignal sender keys, three users. Messages go
 * up once (a multi-recipient send) and reach every member; state changes converge; admins rule.
 */
class GroupChatTest extends GroupTestBase {

  @Test
  void membersTalkBothWaysWithReceiptsPerMember() throws Exception {
    GroupInfo created = alice.client().createGroup("  Trip  ", List.of(bob.number(), carol.number()));
    GroupId id = created.id();
    assertThat(created.name()).isEqualTo("Trip");
    assertThat(created.admins()).containsExactly(alice.number());
    assertThat(created.memberNumbers()).containsExactlyInAnyOrder(alice.number(), bob.number(), carol.number());
    assertThat(created.revision()).isEqualTo(1);

    await().atMost(WAIT).until(() -> knows(bob.client(), id) && knows(carol.client(), id));
    assertThat(bob.client().group(id).name()).isEqualTo("Trip");
    assertThat(systemLines(bob.client(), id)).containsExactly(alice.number() + " created the group \"Trip\"");
    assertThat(bob.client().group(id).isAdmin(alice.number())).isTrue();

    GroupMessage sent = alice.client().sendToGroup(id, "Hello all");
    assertThat(sent.status()).isEqualTo(MessageStatus.PENDING);
    await().atMost(WAIT).until(() -> texts(bob.client(), id).contains("Hello all")
        && texts(carol.client(), id).contains("Hello all"));
    GroupMessage atBob = bob.events().groupMessages.get(0);
    assertThat(atBob.senderNumber()).isEqualTo(alice.number());
    assertThat(atBob.direction()).isEqualTo(Direction.INCOMING);
    assertThat(atBob.groupId()).isEqualTo(id);

    // Delivery receipts from both members make it DELIVERED; read receipts from both, READ.
    await().atMost(WAIT).until(() -> alice.client().groupMessageInfo(sent.id()).message().status()
        == MessageStatus.DELIVERED);
    assertThat(bob.client().markGroupRead(id)).isEqualTo(1);
    await().atMost(WAIT).until(() -> alice.client().groupMessageInfo(sent.id()).read().size() == 1);
    GroupMessageInfo info = alice.client().groupMessageInfo(sent.id());
    assertThat(info.members()).extracting(MemberReceipt::number)
        .containsExactlyInAnyOrder(bob.number(), carol.number());
    assertThat(info.read()).extracting(MemberReceipt::number).containsExactly(bob.number());
    assertThat(info.message().status()).isEqualTo(MessageStatus.DELIVERED);
    assertThat(alice.events().groupMessageInfos).as("an event per member receipt")
        .anySatisfy(i -> assertThat(i.read()).extracting(MemberReceipt::number).containsExactly(bob.number()));
    carol.client().markGroupRead(id);
    await().atMost(WAIT).until(() -> alice.client().groupMessageInfo(sent.id()).message().status()
        == MessageStatus.READ);

    // The other way: Bob and Carol write, everybody reads everybody.
    bob.client().sendToGroup(id, "Hi from Bob");
    carol.client().sendToGroup(id, "Hi from Carol");
    await().atMost(WAIT).until(() -> texts(alice.client(), id).containsAll(List.of("Hi from Bob", "Hi from Carol"))
        && texts(bob.client(), id).contains("Hi from Carol") && texts(carol.client(), id).contains("Hi from Bob"));
    assertThat(alice.client().groups()).extracting(GroupInfo::id).containsExactly(id);
    assertThat(alice.client().group(id).unread()).isEqualTo(2);
  }

  @Test
  void aBurstOfMessagesInTheSameMillisecondAllArriveAndAllGetTheirReceipts() throws Exception {
    GroupId id = group(alice, "Burst", bob);
    List<GroupMessage> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      sent.add(alice.client().sendToGroup(id, "burst " + i));
    }
    // Receivers tell a sender's messages apart by their timestamps: a burst must not share any.
    assertThat(sent).extracting(GroupMessage::timestamp).doesNotHaveDuplicates();
    await().atMost(WAIT).until(() -> texts(bob.client(), id).stream().filter(t -> t.startsWith("burst ")).count()
        == 30);
    await().atMost(WAIT).until(() -> sent.stream().allMatch(m -> status(alice, m) == MessageStatus.DELIVERED));
  }

  private static MessageStatus status(TestUser user, GroupMessage message) {
    try {
      return user.client().groupMessageInfo(message.id()).message().status();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
