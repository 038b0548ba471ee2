package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.internal.ClientComponents;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.messaging.Inbox;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.GroupChange;
import org.parley.client.internal.proto.GroupDataMessage;
import org.parley.client.internal.proto.GroupMemberState;
import org.parley.client.internal.proto.GroupState;
import org.parley.client.internal.proto.GroupUpdate;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.testing.Linker;
import org.parley.testing.Recorder;
import org.parley.testing.TestUser;

/**
 * Concurrent changes converge, a device that was away catches up, a linked device follows, and what a member may not
 * do — or a stranger tries — is refused with a clear error or event (ADR 0140).
 */
class GroupConvergenceTest extends GroupTestBase {

  @Test
  void concurrentRenamesConvergeAndADeviceThatWasAwayCatchesUp() throws Exception {
    TestUser dave = dave();
    GroupId id = group(alice, "Start", bob, carol);
    alice.client().promoteGroupMember(id, bob.number());
    await().atMost(WAIT).until(() -> bob.client().group(id).isAdmin(bob.number())
        && carol.client().group(id).revision() == 2);

    // Carol goes away for several changes.
    carol.client().close();

    // Two admins rename at the same revision: both become revision 3, every device keeps the same one.
    CompletableFuture<GroupInfo> byAlice = CompletableFuture.supplyAsync(() -> rename(alice.client(), id, "Alice's"));
    CompletableFuture<GroupInfo> byBob = CompletableFuture.supplyAsync(() -> rename(bob.client(), id, "Bob's"));
    assertThat(byAlice.join().revision()).isEqualTo(3);
    assertThat(byBob.join().revision()).isEqualTo(3);
    await().atMost(WAIT).until(() -> alice.client().group(id).name().equals(bob.client().group(id).name()));
    String winner = alice.client().group(id).name();
    assertThat(winner).isIn("Alice's", "Bob's");

    alice.client().addGroupMembers(id, List.of(dave.number()));
    alice.client().sendToGroup(id, "while Carol was away");
    await().atMost(WAIT).until(() -> texts(dave.client(), id).contains("while Carol was away"));

    ParleyClient carolAgain = parley.reopen(carol.dataDir());
    carolAgain.connect();
    await().atMost(WAIT).until(() -> texts(carolAgain, id).contains("while Carol was away"));
    GroupInfo atAlice = alice.client().group(id);
    await().atMost(WAIT).until(() -> carolAgain.group(id).revision() == atAlice.revision());
    GroupInfo atCarol = carolAgain.group(id);
    assertThat(atCarol.name()).isEqualTo(winner);
    assertThat(atCarol.members()).isEqualTo(atAlice.members());
    assertThat(dave.client().group(id).name()).isEqualTo(winner);
    assertThat(bob.client().group(id).members()).isEqualTo(atAlice.members());
  }

  @Test
  void aChangeThatLosesATieIsMadeAgainByItsAuthor() throws Exception {
    GroupId id = group(alice, "Tie", bob, carol);
    alice.client().promoteGroupMember(id, bob.number());
    await().atMost(WAIT).until(() -> bob.client().group(id).isAdmin(bob.number()));
    bob.client().close();
    alice.client().removeGroupMember(id, carol.number());
    ParleyClient bobAgain = parley.reopen(bob.dataDir());
    bobAgain.renameGroup(id, "Renamed while away");
    bobAgain.connect();
    await().atMost(WAIT).until(() -> alice.client().group(id).name().equals("Renamed while away")
        && !bobAgain.group(id).isMember(carol.number()) && bobAgain.group(id).name().equals("Renamed while away")
        && alice.client().group(id).revision() == bobAgain.group(id).revision());
    assertThat(alice.client().group(id).members()).isEqualTo(bobAgain.group(id).members());
    assertThat(alice.client().group(id).revision()).isEqualTo(4);
  }

  @Test
  void aLinkedDeviceFollowsTheGroupSendsToItAndSyncsSentAndRead() throws Exception {
    Linker desktop = parley.link("Desktop");
    alice.client().addDevice(desktop.currentLink(), "Alice");
    desktop.awaitLinked();
    ParleyClient d = desktop.client;
    d.connect();

    GroupId id = group(alice, "Family", bob, carol);
    await().atMost(WAIT).until(() -> knows(d, id));
    assertThat(d.group(id).memberNumbers()).containsExactlyInAnyOrderElementsOf(
        alice.client().group(id).memberNumbers());

    // Bob's message reaches both of Alice's devices; Alice's phone's message shows as sent on the desktop.
    bob.client().sendToGroup(id, "from Bob");
    await().atMost(WAIT).until(() -> texts(d, id).contains("from Bob")
        && texts(alice.client(), id).contains("from Bob"));
    alice.client().sendToGroup(id, "from the phone");
    await().atMost(WAIT).until(() -> texts(d, id).contains("from the phone"));
    assertThat(d.groupHistory(id, 10).stream().filter(e -> e instanceof GroupMessage m && m.isOutgoing())
        .map(e -> ((GroupMessage) e).text())).containsExactly("from the phone");

    // The desktop sends with its own sender key: the others read it, the phone has it as ours.
    d.sendToGroup(id, "from the desktop");
    await().atMost(WAIT).until(() -> texts(bob.client(), id).contains("from the desktop")
        && texts(carol.client(), id).contains("from the desktop")
        && texts(alice.client(), id).contains("from the desktop"));
    assertThat(bob.events().groupMessages.stream().filter(m -> m.text().equals("from the desktop"))
        .map(GroupMessage::senderNumber)).containsExactly(alice.number());

    // Read on the desktop, read on the phone; a change made on the desktop reaches everyone.
    assertThat(d.markGroupRead(id)).isEqualTo(1);
    await().atMost(WAIT).until(() -> alice.client().group(id).unread() == 0);
    d.renameGroup(id, "Family 2");
    await().atMost(WAIT).until(() -> alice.client().group(id).name().equals("Family 2")
        && bob.client().group(id).name().equals("Family 2"));
  }

  private static GroupInfo rename(ParleyClient client, GroupId id, String name) {
    try {
      return client.renameGroup(id, name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void badInputIsRefusedClearlyAndNoPlaintextReachesTheServer() throws Exception {
    assertThatThrownBy(() -> alice.client().sendToGroup(GroupId.random(), "hi"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("No group");
    assertThatThrownBy(() -> GroupId.parse("not-a-group")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> alice.client().createGroup(" ", List.of(bob.number())))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> alice.client().createGroup("x", List.of("12345")))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> alice.client().createGroup("x", List.of("+15559999999")))
        .isInstanceOf(NotFoundException.class);

    GroupId id = group(alice, "Private", bob);
    String marker = "plaintext-marker-" + System.nanoTime();
    alice.client().sendToGroup(id, marker);
    await().atMost(WAIT).until(() -> texts(bob.client(), id).contains(marker));
    assertThat(filesContaining(parley.server().dataDir, marker)).as("server files holding the plaintext").isEmpty();

    // Carol, no member, forges content to Alice over a real session: a group message and a membership change that
    // makes her an admin. Both are refused and reported; nothing changes.
    String aliceAccount = alice.client().account().accountId();
    String carolAccount = carol.client().account().accountId();
    GroupInfo before = alice.client().group(id);
    byte[] forgedMessage = Contents.encode(Content.newBuilder().setSenderNumber(carol.number())
        .setGroupMessage(GroupDataMessage.newBuilder().setGroupId(ByteString.copyFrom(id.toBytes()))
            .setData(DataMessage.newBuilder().setText("let me in").setTimestamp(1))).build());
    GroupState forgedState = GroupState.newBuilder().setGroupId(ByteString.copyFrom(id.toBytes())).setName("Mine")
        .setRevision(before.revision() + 1)
        .addMembers(GroupMemberState.newBuilder().setNumber(carol.number()).setAccountId(carolAccount).setAdmin(true))
        .build();
    byte[] forgedChange = Contents.encode(Content.newBuilder().setSenderNumber(carol.number())
        .setGroupUpdate(GroupUpdate.newBuilder().setState(forgedState)
            .setChange(GroupChange.newBuilder().setKind(GroupChange.Kind.RENAMED))).build());
    ClientComponents carolsDevice = openDirectly(carol);
    ClientComponents alicesDevice = openDirectly(alice);
    try (ParleyClient c = carolsDevice.client(); ParleyClient a = alicesDevice.client()) {
      Recorder events = new Recorder();
      a.addListener(events);
      for (byte[] forged : List.of(forgedMessage, forgedChange)) {
        carolsDevice.sessionCrypto().startSessions(aliceAccount, "1");
        OutgoingMessage ciphertext = carolsDevice.sessionCrypto().encrypt(aliceAccount, List.of(1), forged).get(0);
        Envelope envelope = Envelope.newBuilder().setType(ciphertext.getType()).setSourceAccount(carolAccount)
            .setSourceNumber(carol.number()).setSourceDevice(1).setDestinationAccount(aliceAccount)
            .setDestinationDevice(1).setServerTimestamp(System.currentTimeMillis())
            .setServerGuid("forged-" + System.nanoTime()).setContent(ciphertext.getContent()).build();
        Inbox.Result result = alicesDevice.inbox().process(envelope);
        result.afterCommit().run();
      }
      assertThat(events.groupProblems).hasSize(2).allSatisfy(p -> {
        assertThat(p.groupId()).isEqualTo(id);
        assertThat(p.senderNumber()).isEqualTo(carol.number());
        assertThat(p.reason()).contains("is not a member");
      });
      assertThat(a.group(id)).usingRecursiveComparison().ignoringFields("lastMessage", "unread", "lastActivity")
          .isEqualTo(before);
      assertThat(texts(a, id)).doesNotContain("let me in");
    }
  }

  private static List<Path> filesContaining(Path dir, String marker) throws Exception {
    byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(f -> contains(f, needle)).toList();
    }
  }

  private static boolean contains(Path file, byte[] needle) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      outer:
      for (int i = 0; i + needle.length <= bytes.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (bytes[i + j] != needle[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
