package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.client.GroupChatTest.WAIT;
import static org.parley.client.GroupChatTest.knows;
import static org.parley.client.GroupChatTest.systemLines;
import static org.parley.client.GroupChatTest.texts;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.SearchResult;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.testing.Linker;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.TestUser;

/**
 * Group messages in the local search, and groups on a device linked after they were made (issue #14): real server
 * on loopback, real libsignal, real H2.
 */
class GroupSearchAndLinkingTest {

  @RegisterExtension
  final ParleyServerExtension parley = ParleyServerExtension.builder().users(3).build();

  @Test
  void searchFindsGroupMessagesWithTheirGroupAndSenderBesideTheOneToOneOnes() throws Exception {
    TestUser alice = parley.user(0);
    TestUser bob = parley.user(1);
    TestUser carol = parley.user(2);
    for (TestUser user : parley.users()) {
      user.client().connect();
    }
    GroupId trip = alice.client().createGroup("Trip", List.of(bob.number(), carol.number())).id();
    GroupId work = alice.client().createGroup("Work", List.of(carol.number())).id();
    await().atMost(WAIT).until(() -> knows(bob.client(), trip) && knows(carol.client(), work));
    bob.client().sendToGroup(trip, "Lunch at the harbour?");
    await().atMost(WAIT).until(() -> texts(alice.client(), trip).contains("Lunch at the harbour?"));
    Thread.sleep(5);
    alice.client().send(bob.number(), "lunch tomorrow instead");
    Thread.sleep(5);
    alice.client().sendToGroup(work, "No LUNCH meeting today");
    alice.client().sendToGroup(trip, "dinner then");

    List<SearchResult> found = alice.client().searchAll("lunch", 10);
    assertThat(found).hasSize(3);
    assertThat(found).extracting(SearchResult::timestamp).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    SearchResult.InGroup inWork = (SearchResult.InGroup) found.get(0);
    assertThat(inWork.groupName()).isEqualTo("Work");
    assertThat(inWork.message().groupId()).isEqualTo(work);
    assertThat(inWork.message().senderNumber()).isEqualTo(alice.number());
    assertThat(inWork.message().isOutgoing()).isTrue();
    Message direct = ((SearchResult.Direct) found.get(1)).message();
    assertThat(direct.contactNumber()).isEqualTo(bob.number());
    assertThat(direct.text()).isEqualTo("lunch tomorrow instead");
    SearchResult.InGroup inTrip = (SearchResult.InGroup) found.get(2);
    assertThat(inTrip.groupName()).isEqualTo("Trip");
    assertThat(inTrip.message().groupId()).isEqualTo(trip);
    assertThat(inTrip.message().senderNumber()).isEqualTo(bob.number());
    assertThat(inTrip.message().text()).isEqualTo("Lunch at the harbour?");
    // The limit holds over both kinds together; the 1:1 search is unchanged.
    assertThat(alice.client().searchAll("lunch", 2)).extracting(SearchResult::timestamp)
        .containsExactly(found.get(0).timestamp(), found.get(1).timestamp());
    assertThat(alice.client().search("lunch", 10)).extracting(Message::text)
        .containsExactly("lunch tomorrow instead");
    assertThat(alice.client().searchAll("harbour", 10)).hasSize(1);
    assertThat(alice.client().searchAll("nothing like this", 10)).isEmpty();

    // A rename shows in later hits; what the other members received is found on their devices too.
    alice.client().renameGroup(trip, "Trip 2027");
    assertThat(alice.client().searchAll("harbour", 10)).singleElement()
        .satisfies(r -> assertThat(((SearchResult.InGroup) r).groupName()).isEqualTo("Trip 2027"));
    await().atMost(WAIT).until(() -> carol.client().searchAll("lunch", 10).size() == 2);
    assertThat(carol.client().searchAll("lunch", 10)).allSatisfy(r -> assertThat(r)
        .isInstanceOf(SearchResult.InGroup.class));
  }

  @Test
  void aDeviceLinkedAfterAGroupWasMadeShowsItAndReadsAndSendsInIt() throws Exception {
    TestUser alice = parley.user(0);
    TestUser bob = parley.user(1);
    TestUser carol = parley.user(2);
    for (TestUser user : parley.users()) {
      user.client().connect();
    }
    ParleyClient phone = alice.client();
    GroupId id = phone.createGroup("Book club", List.of(bob.number(), carol.number())).id();
    phone.promoteGroupMember(id, bob.number());
    await().atMost(WAIT).until(() -> knows(bob.client(), id) && knows(carol.client(), id));
    bob.client().sendToGroup(id, "before the link");
    await().atMost(WAIT).until(() -> texts(phone, id).contains("before the link"));

    Linker desktop = parley.link("desktop");
    try (ParleyClient d = desktop.client) {
      phone.addDevice(desktop.currentLink(), "Alice");
      desktop.awaitLinked();
      d.connect();

      // The group, as it stands, without waiting for a change.
      await().atMost(WAIT).until(() -> knows(d, id));
      GroupInfo there = d.group(id);
      GroupInfo here = phone.group(id);
      assertThat(there.name()).isEqualTo("Book club");
      assertThat(there.revision()).isEqualTo(here.revision());
      assertThat(there.memberNumbers()).containsExactlyInAnyOrderElementsOf(here.memberNumbers());
      assertThat(there.admins()).containsExactlyInAnyOrder(alice.number(), bob.number());
      assertThat(there.selfIsMember()).isTrue();
      assertThat(systemLines(d, id)).containsExactly("The group \"Book club\" was synced to this device");
      assertThat(texts(d, id)).as("history before the link stays on the other devices").isEmpty();

      // Members' new messages reach it (their sender keys come with their next send), and it sends.
      bob.client().sendToGroup(id, "after the link");
      carol.client().sendToGroup(id, "me too");
      await().atMost(WAIT).until(() -> texts(d, id).containsAll(List.of("after the link", "me too")));
      GroupMessage fromDesktop = d.sendToGroup(id, "hello from the desktop");
      await().atMost(WAIT).until(() -> texts(bob.client(), id).contains("hello from the desktop")
          && texts(carol.client(), id).contains("hello from the desktop"));
      assertThat(bob.client().groupHistory(id, 100)).filteredOn(e -> e instanceof GroupMessage m
          && m.text().equals("hello from the desktop")).singleElement()
          .satisfies(e -> assertThat(((GroupMessage) e).senderNumber()).isEqualTo(alice.number()));
      // The phone has it as ours (sent-message sync), and later changes reach the desktop as usual.
      await().atMost(WAIT).until(() -> phone.groupHistory(id, 100).stream().anyMatch(e -> e instanceof GroupMessage m
          && m.isOutgoing() && m.text().equals("hello from the desktop")));
      assertThat(fromDesktop.senderNumber()).isEqualTo(alice.number());
      bob.client().renameGroup(id, "Book club 2");
      await().atMost(WAIT).until(() -> d.group(id).name().equals("Book club 2"));
    }
  }
}
