package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupTyping;
import org.parley.desktop.settings.SettingsStore;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * Groups through the desktop's ViewModels, without JavaFX, over the real server and real clients: the desktop user
 * creates a group with Bob and Carol (client-core users), they talk, ticks and message info follow their receipts,
 * typing shows by name, and the info panel adds, promotes, removes and leaves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GroupViewModelTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private final String myNumber = Users.newNumber();
  private final String bobNumber = Users.newNumber();
  private final String carolNumber = Users.newNumber();
  private final String daveNumber = Users.newNumber();
  private ParleyClient me;
  private ParleyClient bob;
  private ParleyClient carol;
  private ParleyClient dave;
  private final List<GroupMessage> bobGot = new CopyOnWriteArrayList<>();
  private final List<GroupMessage> carolGot = new CopyOnWriteArrayList<>();
  private final List<GroupInfo> carolGroups = new CopyOnWriteArrayList<>();
  private final List<GroupTyping> bobSawTyping = new CopyOnWriteArrayList<>();
  private final List<String> notifications = new CopyOnWriteArrayList<>();
  private final VmHarness h = new VmHarness();
  private MainViewModel vm;
  private GroupId groupId;

  @BeforeAll
  void start() throws Exception {
    var dir = Files.createTempDirectory("parley-group-vm");
    me = parley.register(myNumber, dir).client();
    bob = parley.register(bobNumber).client();
    carol = parley.register(carolNumber).client();
    dave = parley.register(daveNumber).client();
    bob.addListener(new ParleyListener() {
      @Override
      public void groupMessageReceived(GroupMessage message) {
        bobGot.add(message);
      }

      @Override
      public void groupTyping(GroupTyping typing) {
        bobSawTyping.add(typing);
      }
    });
    carol.addListener(new ParleyListener() {
      @Override
      public void groupMessageReceived(GroupMessage message) {
        carolGot.add(message);
      }

      @Override
      public void groupChanged(GroupInfo group, GroupEvent event) {
        carolGroups.add(group);
      }
    });
    for (ParleyClient c : List.of(bob, carol, dave)) {
      c.connect();
      c.send(myNumber, "hi, it's " + c.account().number());
    }
    SettingsStore store = SettingsStore.open(dir);
    store.setContactName(bobNumber, "Bob Stone");
    store.setContactName(carolNumber, "Carol Ng");
    store.setContactName(daveNumber, "Dave");
    store.save(store.settings().withProfileName("Ann Lee"));
    vm = h.onUi(() -> new MainViewModel(me, store, h.tasks, h.clock, h.zone, h.timer,
        (title, body, open) -> notifications.add(title + ": " + body)));
    h.onUi(vm::start);
    await().until(() -> h.onUi(vm.chatList.chats::get).size() == 3);
  }

  @AfterAll
  void stop() {
    h.close();
    for (ParleyClient c : List.of(me, bob, carol, dave)) {
      c.close();
    }
  }

  private GroupConversationViewModel group() {
    return h.onUi(() -> vm.currentGroup.get().orElseThrow());
  }

  private List<ConversationRow> rows() {
    GroupConversationViewModel g = group();
    return h.onUi(() -> g.rows.snapshot());
  }

  private List<String> systemLines() {
    return rows().stream().filter(r -> r instanceof ConversationRow.SystemLine)
        .map(r -> ((ConversationRow.SystemLine) r).text()).toList();
  }

  private int groupUnread() {
    return h.onUi(vm.chatList.chats::get).stream().filter(ChatSummary::isGroup).mapToInt(ChatSummary::unread).sum();
  }

  private Optional<ConversationRow.Bubble> bubble(String text) {
    return rows().stream().filter(r -> r instanceof ConversationRow.Bubble b && b.text().equals(text))
        .map(r -> (ConversationRow.Bubble) r).findFirst();
  }

  @Test
  @Order(1)
  void newGroupChecksItsInputThenCreatesTheGroupAndOpensIt() {
    h.onUi(() -> vm.showPanel(MainViewModel.Panel.NEW_GROUP));
    NewGroupViewModel panel = vm.newGroup;
    assertThat(h.onUi(panel.picker.shown::get)).extracting(ContactPicker.Candidate::name)
        .containsExactly("Bob Stone", "Carol Ng", "Dave");
    h.onUi(panel::create);
    assertThat(h.onUi(panel.error::get)).isEqualTo("Give the group a name");
    h.onUi(() -> panel.name.set("x".repeat(101)));
    h.onUi(panel::create);
    assertThat(h.onUi(panel.error::get)).isEqualTo("A group name has at most 100 characters");
    h.onUi(() -> panel.name.set("  Weekend trip "));
    h.onUi(panel::create);
    assertThat(h.onUi(panel.error::get)).isEqualTo("Pick at least one person");
    h.onUi(() -> panel.toggle(carolNumber));
    h.onUi(() -> panel.toggle(bobNumber));
    assertThat(h.onUi(panel.error::get)).isEmpty();
    assertThat(h.onUi(panel.pickedLine::get)).isEqualTo("Carol Ng and Bob Stone");
    h.onUi(panel::create);

    await().until(() -> h.onUi(() -> vm.currentGroup.get().isPresent()));
    assertThat(h.onUi(vm.panel::get)).isEqualTo(MainViewModel.Panel.NONE);
    GroupConversationViewModel g = group();
    groupId = g.groupId;
    await().until(() -> h.onUi(g.title::get).equals("Weekend trip"));
    await().until(() -> systemLines().contains("You created the group \"Weekend trip\""));
    assertThat(h.onUi(g.subtitle::get)).isEqualTo("You, Bob Stone, Carol Ng");
    assertThat(h.onUi(g.member::get)).isTrue();
    await().until(() -> h.onUi(vm.chatList.chats::get).stream()
        .anyMatch(c -> c.isGroup() && c.name().equals("Weekend trip") && c.group().orElseThrow().equals(groupId)));
    // Carol's client knows the group with us as its admin.
    await().until(() -> carolGroups.stream().anyMatch(x -> x.id().equals(groupId) && x.isAdmin(myNumber)));
  }

  @Test
  @Order(2)
  void messagesGoBothWaysWithSenderNamesInDifferentColours() throws Exception {
    GroupConversationViewModel g = group();
    h.onUi(() -> g.send("Who brings the tent?"));
    await().until(() -> bobGot.stream().anyMatch(m -> m.text().equals("Who brings the tent?")
        && m.senderNumber().equals(myNumber)));
    await().until(() -> carolGot.stream().anyMatch(m -> m.text().equals("Who brings the tent?")));

    bob.sendToGroup(groupId, "I do");
    await().until(() -> bubble("I do").isPresent());
    carol.sendToGroup(groupId, "I'll bring food");
    await().until(() -> bubble("I'll bring food").isPresent());
    ConversationRow.Sender bobSender = bubble("I do").orElseThrow().sender().orElseThrow();
    ConversationRow.Sender carolSender = bubble("I'll bring food").orElseThrow().sender().orElseThrow();
    assertThat(bobSender.name()).isEqualTo("Bob Stone");
    assertThat(carolSender.name()).isEqualTo("Carol Ng");
    assertThat(bobSender.colour()).isNotEqualTo(carolSender.colour());
    assertThat(bubble("Who brings the tent?").orElseThrow().sender()).isEmpty();
    // The chat list shows the sender's first name before the text.
    await().until(() -> h.onUi(vm.chatList.chats::get).stream()
        .anyMatch(c -> c.isGroup() && c.preview().equals("Carol: I'll bring food")));
    // The group is open and the window focused: what arrives is read at once.
    await().until(() -> h.onUi(vm.chatList.chats::get).stream().filter(ChatSummary::isGroup)
        .allMatch(c -> c.unread() == 0));
  }

  @Test
  @Order(3)
  void ticksAndMessageInfoFollowEachMembersReceipts() throws Exception {
    GroupConversationViewModel g = group();
    h.onUi(() -> g.send("Meet at 8"));
    await().until(() -> bubble("Meet at 8").map(b -> b.status() == MessageStatus.DELIVERED).orElse(false));
    long id = bubble("Meet at 8").orElseThrow().id();
    h.onUi(() -> vm.showMessageInfo(id));
    assertThat(h.onUi(vm.panel::get)).isEqualTo(MainViewModel.Panel.MESSAGE_INFO);
    MessageInfoViewModel info = g.messageInfo;
    await().until(() -> h.onUi(info.summary::get).equals("Read by 0 of 2 · delivered to 2 of 2"));
    assertThat(h.onUi(info.text::get)).isEqualTo("Meet at 8");
    assertThat(h.onUi(info.delivered::get)).extracting(MessageInfoViewModel.ReceiptRow::name)
        .containsExactlyInAnyOrder("Bob Stone", "Carol Ng");

    bob.markGroupRead(groupId);
    await().until(() -> h.onUi(info.summary::get).equals("Read by 1 of 2 · delivered to 2 of 2"));
    assertThat(h.onUi(info.read::get)).extracting(MessageInfoViewModel.ReceiptRow::name).containsExactly("Bob Stone");
    assertThat(bubble("Meet at 8").orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);
    carol.markGroupRead(groupId);
    await().until(() -> bubble("Meet at 8").map(ConversationRow.Bubble::read).orElse(false));
    await().until(() -> h.onUi(info.summary::get).equals("Read by 2 of 2 · delivered to 2 of 2"));
    assertThat(h.onUi(info.waiting::get)).isEmpty();
    h.onUi(vm::escape);
    assertThat(h.onUi(info.messageId::get)).isEqualTo(-1L);
  }

  @Test
  @Order(4)
  void membersTypingShowByName() throws Exception {
    GroupConversationViewModel g = group();
    bob.sendGroupTyping(groupId, true);
    await().until(() -> h.onUi(g.typing::get).equals("Bob Stone is typing…"));
    assertThat(h.onUi(g.subtitle::get)).isEqualTo("Bob Stone is typing…");
    carol.sendGroupTyping(groupId, true);
    await().until(() -> h.onUi(g.typing::get).equals("Bob Stone and Carol Ng are typing…"));
    bob.sendGroupTyping(groupId, false);
    await().until(() -> h.onUi(g.typing::get).equals("Carol Ng is typing…"));
    carol.sendToGroup(groupId, "done");
    await().until(() -> h.onUi(g.typing::get).isEmpty());
    assertThat(h.onUi(g.subtitle::get)).isEqualTo("You, Bob Stone, Carol Ng");
  }

  @Test
  @Order(5)
  void ourTypingReachesTheMembersAndAMessageWhileAwayIsANotification() throws Exception {
    GroupConversationViewModel g = group();
    h.onUi(() -> g.composerChanged("See y"));
    await().until(() -> bobSawTyping.stream().anyMatch(t -> t.started() && t.number().equals(myNumber)
        && t.groupId().equals(groupId)));
    h.onUi(() -> g.composerChanged(""));
    await().until(() -> bobSawTyping.stream().anyMatch(t -> !t.started() && t.number().equals(myNumber)));

    h.onUi(() -> vm.setFocused(false));
    bob.sendToGroup(groupId, "Anyone awake?");
    await().until(() -> notifications.contains("Weekend trip: Bob Stone: Anyone awake?"));
    await().until(() -> groupUnread() == 1);
    // Coming back to the window reads it.
    h.onUi(() -> vm.setFocused(true));
    await().until(() -> groupUnread() == 0);
  }

  @Test
  @Order(6)
  void aLongGroupHistoryLoadsAPageAtATime() throws Exception {
    for (int i = 0; i < 55; i++) {
      bob.sendToGroup(groupId, "note " + i);
      // client-core (groups at c589e7a) stamps group messages with the clock's millisecond and receivers drop a
      // second message with the same stamp as a duplicate; 2 ms apart stays clear of that (reported).
      Thread.sleep(2);
    }
    // Delivery order is not send order: wait for all of them.
    await().atMost(Duration.ofSeconds(90)).until(() -> rows().stream()
        .filter(r -> r instanceof ConversationRow.Bubble b && b.text().startsWith("note ")).count() == 55);
    // Open it afresh (another chat first): the newest 50 lines, then the rest when scrolled to the top.
    h.onUi(() -> vm.open(carolNumber, Optional.empty()));
    h.onUi(() -> vm.open(groupId.value(), Optional.empty()));
    await().until(() -> h.onUi(() -> vm.currentGroup.get().map(x -> x.rows.size() > 0).orElse(false)));
    GroupConversationViewModel g = group();
    assertThat(h.onUi(g.title::get)).isEqualTo("Weekend trip");
    long lines = rows().stream().filter(r -> !(r instanceof ConversationRow.Day)).count();
    assertThat(lines).isEqualTo(GroupConversationViewModel.PAGE);
    assertThat(h.onUi(g.hasOlder::get)).isTrue();
    assertThat(bubble("note 54")).isPresent();
    // The newest 50 are notes 5 to 54.
    assertThat(bubble("note 5")).isPresent();
    assertThat(bubble("note 4")).isEmpty();
    h.onUi(g::loadOlder);
    await().until(() -> bubble("Who brings the tent?").isPresent());
    await().until(() -> !h.onUi(g.hasOlder::get));
    List<ConversationRow> all = rows();
    assertThat(all.get(0)).isInstanceOf(ConversationRow.Day.class);
    assertThat(all.stream().filter(r -> r instanceof ConversationRow.Day).count()).isEqualTo(1);
    assertThat(systemLines().get(0)).isEqualTo("You created the group \"Weekend trip\"");
    List<String> texts = all.stream().filter(r -> r instanceof ConversationRow.Bubble)
        .map(r -> ((ConversationRow.Bubble) r).text()).toList();
    assertThat(texts.indexOf("note 0")).isLessThan(texts.indexOf("note 54"));
    assertThat(texts).doesNotHaveDuplicates();
  }

  @Test
  @Order(7)
  void searchFindsGroupMessagesAndOpensTheGroupAtTheHit() throws Exception {
    h.onUi(() -> vm.open(carolNumber, Optional.empty()));
    h.onUi(() -> vm.chatList.search("TENT"));
    await().until(() -> !h.onUi(vm.chatList.hits::get).isEmpty());
    SearchHit tent = h.onUi(vm.chatList.hits::get).get(0);
    assertThat(h.onUi(vm.chatList.hits::get)).hasSize(1);
    assertThat(tent.number()).isEqualTo(groupId.value());
    assertThat(tent.name()).isEqualTo("Weekend trip");
    assertThat(tent.text()).isEqualTo("You: Who brings the tent?");
    h.onUi(() -> vm.chatList.search("bring food"));
    await().until(() -> h.onUi(vm.chatList.hits::get).stream()
        .anyMatch(x -> x.text().equals("Carol Ng: I'll bring food")));

    // The hit is older than the newest page (55 notes came after it): the group opens with it loaded, in view.
    h.onUi(() -> vm.open(tent.number(), Optional.of(tent.messageId())));
    await().until(() -> h.onUi(() -> vm.currentGroup.get().map(x -> x.scrollTo.get() >= 0).orElse(false)));
    GroupConversationViewModel g = group();
    int at = h.onUi(g.scrollTo::get);
    assertThat(rows().get(at)).isInstanceOfSatisfying(ConversationRow.Bubble.class,
        b -> assertThat(b.id()).isEqualTo(tent.messageId()));
    assertThat(h.onUi(vm::currentKey)).isEqualTo(groupId.value());
    h.onUi(() -> vm.chatList.search(""));
  }

  @Test
  @Order(8)
  void theInfoPanelAddsPromotesRemovesAndLeaves() throws Exception {
    GroupConversationViewModel g = group();
    h.onUi(() -> vm.showPanel(MainViewModel.Panel.GROUP_INFO));
    GroupInfoViewModel info = g.info;
    assertThat(h.onUi(info.members::get)).extracting(GroupInfoViewModel.MemberRow::name)
        .containsExactly("You", "Bob Stone", "Carol Ng");
    assertThat(h.onUi(info.members::get).get(0)).matches(r -> r.me() && r.admin() && !r.canRemove()
        && r.initials().equals("AL"));
    assertThat(h.onUi(info.canEdit::get)).isTrue();
    assertThat(h.onUi(info.summary::get)).isEqualTo("3 members · only admins edit");

    // Add Dave: the picker offers only chats not in the group.
    h.onUi(() -> info.startAdding(vm.chatList.people()));
    assertThat(h.onUi(info.adding.shown::get)).extracting(ContactPicker.Candidate::name).containsExactly("Dave");
    h.onUi(info::addPicked);
    assertThat(h.onUi(info.error::get)).isEqualTo("Tick the people to add");
    h.onUi(() -> info.adding.toggle(daveNumber));
    h.onUi(info::addPicked);
    await().until(() -> systemLines().contains("You added Dave"));
    await().until(() -> !h.onUi(info.addingOpen::get) && h.onUi(info.members::get).size() == 4);

    h.onUi(() -> info.promote(bobNumber));
    await().until(() -> systemLines().contains("You made Bob Stone admin"));
    await().until(() -> h.onUi(info.members::get).stream().anyMatch(r -> r.name().equals("Bob Stone") && r.admin()
        && !r.canPromote()));

    // A rename by Bob (now an admin, once his device has the change) reaches the title and leaves its line.
    await().until(() -> bob.group(groupId).isAdmin(bobNumber));
    bob.renameGroup(groupId, "Lake trip");
    await().until(() -> h.onUi(g.title::get).equals("Lake trip"));
    assertThat(systemLines()).contains("Bob Stone renamed the group to \"Lake trip\"");
    assertThat(h.onUi(info.name::get)).isEqualTo("Lake trip");
    h.onUi(() -> info.rename("  "));
    assertThat(h.onUi(info.error::get)).isEqualTo("The group needs a name");

    h.onUi(() -> info.remove(carolNumber));
    await().until(() -> systemLines().contains("You removed Carol Ng"));
    await().until(() -> carolGroups.stream().anyMatch(x -> x.id().equals(groupId) && !x.selfIsMember()));
    // Dave, who joined last, writes in a colour of his own.
    dave.sendToGroup(groupId, "Thanks for adding me");
    await().until(() -> bubble("Thanks for adding me").isPresent());
    assertThat(bubble("Thanks for adding me").orElseThrow().sender().orElseThrow().colour())
        .isNotEqualTo(bubble("I do").orElseThrow().sender().orElseThrow().colour());

    h.onUi(info::askLeave);
    assertThat(h.onUi(info.confirmLeave::get)).isTrue();
    h.onUi(info::leave);
    await().until(() -> systemLines().contains("You left"));
    await().until(() -> !h.onUi(g.member::get));
    assertThat(h.onUi(g.subtitle::get)).isEqualTo("You are no longer a member");
    assertThat(h.onUi(info.canEdit::get)).isFalse();
    await().until(() -> h.onUi(vm.chatList.chats::get).stream().anyMatch(c -> c.isGroup() && c.name().equals(
        "Lake trip")));
    // client-core refuses what a former member tries; the reason is shown, nothing crashes.
    h.onUi(() -> g.send("still here?"));
    await().until(() -> !h.onUi(g.error::get).isEmpty());
  }
}
