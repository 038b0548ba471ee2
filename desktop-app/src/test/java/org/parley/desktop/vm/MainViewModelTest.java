package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
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
import org.parley.desktop.settings.SettingsStore;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/** The main window's ViewModel over real clients: unread title, notifications, chat switching, new chat, search. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MainViewModelTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private ParleyClient me;
  private ParleyClient carol;
  private ParleyClient dave;
  private final String myNumber = Users.newNumber();
  private final String carolNumber = Users.newNumber();
  private final String daveNumber = Users.newNumber();
  private final VmHarness h = new VmHarness();
  private final List<String> notifications = new CopyOnWriteArrayList<>();
  private SettingsStore store;
  private Path dir;
  private MainViewModel vm;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("parley-main-vm");
    me = parley.register(myNumber, dir).client();
    carol = parley.register(carolNumber).client();
    dave = parley.register(daveNumber).client();
    carol.connect();
    dave.connect();
    store = SettingsStore.open(dir);
    store.setContactName(carolNumber, "Carol Ng");
    vm = h.onUi(() -> new MainViewModel(me, store, h.tasks, h.clock, h.zone, h.timer,
        (title, body, open) -> notifications.add(title + ": " + body)));
    h.onUi(vm::start);
    await().until(() -> h.onUi(vm.connection::get).isEmpty());
  }

  @AfterAll
  void stop() {
    h.close();
    me.close();
    carol.close();
    dave.close();
  }

  @Test
  @Order(1)
  void unreadMessagesShowInTheTitleAndAsNotificationsUntilTheChatIsOpened() throws Exception {
    h.onUi(() -> vm.setFocused(false));
    carol.send(myNumber, "Are you there?");
    carol.send(myNumber, "Bought the tickets for the 9th");
    dave.send(myNumber, "ping");
    await().until(() -> h.onUi(vm.windowTitle::get).equals("(3) Parley"));
    assertThat(notifications).contains("Carol Ng: Are you there?", "Carol Ng: Bought the tickets for the 9th",
        daveNumber + ": ping");
    List<ChatSummary> chats = h.onUi(vm.chatList.chats::get);
    assertThat(chats).extracting(ChatSummary::name).containsExactly(daveNumber, "Carol Ng");
    assertThat(chats.get(1).initials()).isEqualTo("CN");
    assertThat(chats.get(1).preview()).isEqualTo("Bought the tickets for the 9th");

    h.onUi(() -> vm.setFocused(true));
    h.onUi(() -> vm.open(carolNumber, Optional.empty()));
    await().until(() -> h.onUi(vm.windowTitle::get).equals("(1) Parley"));
    // Carol gets read receipts.
    await().atMost(Duration.ofSeconds(10)).until(() -> carol.history(myNumber, 10).stream()
        .allMatch(m -> m.status() == MessageStatus.READ));

    // Ctrl+Down / Ctrl+Up walk the list and wrap around.
    h.onUi(() -> vm.openNeighbour(1));
    assertThat(h.onUi(() -> vm.current.get().orElseThrow().number)).isEqualTo(daveNumber);
    h.onUi(() -> vm.openNeighbour(1));
    assertThat(h.onUi(() -> vm.current.get().orElseThrow().number)).isEqualTo(carolNumber);
    await().until(() -> h.onUi(vm.windowTitle::get).equals("Parley"));

    // Search filters chats by name and finds messages.
    h.onUi(() -> vm.chatList.search("tickets"));
    await().until(() -> h.onUi(vm.chatList.hits::get).size() == 1);
    assertThat(h.onUi(vm.chatList.hits::get).get(0).name()).isEqualTo("Carol Ng");
    h.onUi(() -> vm.chatList.search("carol"));
    assertThat(h.onUi(vm.chatList.chats::get)).extracting(ChatSummary::number).containsExactly(carolNumber);
    // Esc clears the search when no panel is open.
    h.onUi(vm::escape);
    assertThat(h.onUi(vm.chatList.query::get)).isEmpty();
    await().until(() -> h.onUi(vm.chatList.chats::get).size() == 2);
  }

  @Test
  @Order(2)
  void newChatChecksTheNumberFirst() throws Exception {
    h.onUi(() -> vm.showPanel(MainViewModel.Panel.NEW_CHAT));
    h.onUi(() -> vm.startChat("12"));
    assertThat(h.onUi(vm.newChatError::get)).contains("8 to 15 digits");
    h.onUi(() -> vm.startChat("+15559999998"));
    await().until(() -> h.onUi(vm.newChatError::get).contains("No Parley account"));
    h.onUi(() -> vm.startChat(myNumber));
    await().until(() -> h.onUi(vm.newChatError::get).contains("your own number"));
    assertThat(h.onUi(vm.panel::get)).isEqualTo(MainViewModel.Panel.NEW_CHAT);

    ParleyClient erin = parley.register(Users.newNumber()).client();
    try {
      String erinNumber = erin.account().number();
      h.onUi(() -> vm.startChat(erinNumber));
      await().until(() -> h.onUi(() -> vm.current.get().map(c -> c.number).orElse("")).equals(erinNumber));
      assertThat(h.onUi(vm.panel::get)).isEqualTo(MainViewModel.Panel.NONE);
      await().until(() -> h.onUi(vm.chatList.chats::get).stream().anyMatch(c -> c.number().equals(erinNumber)));
      // Renaming is local and shows at once.
      h.onUi(() -> vm.renameCurrent("Erin"));
      assertThat(h.onUi(() -> vm.current.get().orElseThrow().title.get())).isEqualTo("Erin");
      assertThat(store.contactName(erinNumber)).contains("Erin");
    } finally {
      erin.close();
    }
  }

  @Test
  @Order(3)
  void escClosesPanels() {
    h.onUi(() -> vm.showPanel(MainViewModel.Panel.SETTINGS));
    h.onUi(vm::escape);
    assertThat(h.onUi(vm.panel::get)).isEqualTo(MainViewModel.Panel.NONE);
  }

  @Test
  @Order(4)
  void aSearchThatMatchesNoChatSaysSoRatherThanNoChatsYet() {
    assertThat(h.onUi(vm.chatList.emptyText::get)).isEqualTo("No chats yet.\nStart one with \u270E (Ctrl+N).");
    h.onUi(() -> vm.chatList.search(" xyz "));
    assertThat(h.onUi(vm.chatList.chats::get)).isEmpty();
    assertThat(h.onUi(vm.chatList.emptyText::get)).isEqualTo("No chats match \u201Cxyz\u201D");
    h.onUi(vm::escape);
    assertThat(h.onUi(vm.chatList.emptyText::get)).startsWith("No chats yet.");
    assertThat(h.onUi(vm.chatList.chats::get)).isNotEmpty();
  }

  @Test
  @Order(5)
  void theUpiIdOfASentRequestIsFilledInForTheNextOneEvenAfterARestart() throws Exception {
    h.onUi(() -> vm.open(daveNumber, Optional.empty()));
    PaymentRequestViewModel first = h.onUi(() -> vm.current.get().orElseThrow().requestPayment);
    assertThat(h.onUi(first.vpa::get)).isEmpty();
    h.onUi(() -> {
      first.show();
      first.amount.set("120");
      first.vpa.set("me.myself@okbank");
      first.payeeName.set("Me Myself");
      first.send();
    });
    await().until(() -> store.payee().isPresent());
    assertThat(store.payee()).contains(new SettingsStore.Payee("me.myself@okbank", "Me Myself"));
    assertThat(SettingsStore.open(dir).payee()).isEqualTo(store.payee());

    h.onUi(() -> vm.open(carolNumber, Optional.empty()));
    PaymentRequestViewModel next = h.onUi(() -> vm.current.get().orElseThrow().requestPayment);
    assertThat(h.onUi(next.vpa::get)).isEqualTo("me.myself@okbank");
    assertThat(h.onUi(next.payeeName::get)).isEqualTo("Me Myself");
    assertThat(h.onUi(next.amount::get)).isEmpty();
  }
}
