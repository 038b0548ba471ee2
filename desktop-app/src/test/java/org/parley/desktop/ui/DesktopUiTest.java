package org.parley.desktop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.desktop.ui.Ui.fx;
import static org.parley.desktop.ui.Ui.waitFor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.desktop.AppContext;
import org.parley.desktop.LaunchOptions;
import org.parley.desktop.settings.Theme;
import org.parley.desktop.view.AppWindow;
import org.parley.desktop.vm.ConversationRow;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The real UI, headless (Monocle), against the real signaling server in this JVM and a second real client-core
 * user ("Bob"). The steps build on each other, in order, like one person's first session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DesktopUiTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private ParleyClient bob;
  private final List<Message> bobReceived = new CopyOnWriteArrayList<>();
  private final String alice = Users.newNumber();
  private final String bobNumber = Users.newNumber();
  private AppContext context;
  private AppWindow window;
  private final FxRobot robot = new FxRobot();

  @BeforeAll
  void start() throws Exception {
    bob = parley.register(bobNumber).client();
    bob.addListener(new ParleyListener() {
      @Override
      public void messageReceived(Message message) {
        bobReceived.add(message);
      }
    });
    bob.connect();
    // Alice's number is held by an earlier install with a registration lock: onboarding must ask for the PIN.
    try (ParleyClient earlier = parley.register(alice).client()) {
      earlier.setRegistrationLock("2468");
    }
    Path dir = Files.createTempDirectory("parley-desktop-ui");
    LaunchOptions options = new LaunchOptions(dir, parley.url(), Optional.empty());
    context = AppContext.create(options, Platform::runLater, Map.of());
    Stage stage = FxToolkit.registerPrimaryStage();
    FxToolkit.setupFixture(() -> window = AppWindow.open(stage, context));
  }

  @AfterAll
  void stop() throws Exception {
    FxToolkit.setupFixture(() -> window.stage().hide());
    context.close();
    bob.close();
  }

  @Test
  @Order(1)
  void registersThroughTheOnboardingScreens() throws Exception {
    waitFor(() -> robot.lookup("#welcomeRegister").tryQuery().isPresent());
    robot.clickOn("#welcomeRegister");
    waitFor(() -> robot.lookup("#phoneField").tryQuery().isPresent());
    robot.clickOn("#phoneField").write(alice.substring(2));
    robot.clickOn("#sendCodeButton");
    waitFor(() -> robot.lookup("#codeField").tryQuery().isPresent());
    robot.clickOn("#codeField").write(parley.server().lastCode(alice));
    robot.clickOn("#verifyButton");
    waitFor(() -> robot.lookup("#pinField").tryQuery().map(Node::isVisible).orElse(false));
    assertThat(robot.lookup(".error-text").queryAs(Label.class).getText()).contains("registration lock");
    robot.clickOn("#pinField").write("2468");
    robot.clickOn("#verifyButton");
    waitFor(() -> robot.lookup("#profileNameField").tryQuery().isPresent());
    robot.clickOn("#profileNameField").write("Alice Tester");
    robot.clickOn("#finishButton");
    window.mainShown().get(20, TimeUnit.SECONDS);
    waitFor(() -> text("#profileName").equals("Alice Tester"));
    assertThat(context.client().orElseThrow().account().number()).isEqualTo(alice);
  }

  @Test
  @Order(2)
  void aMessageTypedInTheComposerArrivesOnTheOtherSideAndItsTicksMove() throws Exception {
    Ui.startChat(robot, bobNumber);

    robot.clickOn("#composer").write("Hello Bob from the desktop");
    robot.press(KeyCode.SHIFT, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.SHIFT);
    robot.write("second line");
    robot.type(KeyCode.ENTER);

    waitFor(() -> bobReceived.stream().anyMatch(m -> m.text().equals("Hello Bob from the desktop\nsecond line")));
    assertThat(text("#composer")).isEmpty();
    // Bob's client stored it and sent a delivery receipt: two grey ticks.
    waitFor(() -> outgoing().stream().anyMatch(b -> b.status() == MessageStatus.DELIVERED));
    assertThat(tickLabels()).anyMatch(l -> l.getText().equals("\u2713\u2713")
        && l.getStyleClass().contains("tick-delivered"));

    bob.markRead(alice);
    waitFor(() -> tickLabels().stream().anyMatch(l -> l.getStyleClass().contains("tick-read")));
  }

  @Test
  @Order(3)
  void theContactsTypingShowsUnderTheirName() throws Exception {
    bob.sendTyping(alice, true);
    waitFor(() -> text("#conversationSubtitle").equals("typing…"));
    waitFor(() -> robot.lookup("#typingIndicator").query().isVisible()
        && text("#typingIndicator").equals(bobNumber + " is typing…"));
    bob.sendTyping(alice, false);
    waitFor(() -> !text("#conversationSubtitle").equals("typing…"));
    waitFor(() -> !robot.lookup("#typingIndicator").query().isVisible());
  }

  @Test
  @Order(4)
  void aReplyAppearsInTheConversation() throws Exception {
    bob.send(alice, "Hi Alice, got it!");
    waitFor(() -> bubbles().stream().anyMatch(b -> !b.outgoing() && b.text().equals("Hi Alice, got it!")));
    waitFor(() -> robot.lookup(".bubble-text").queryAllAs(Label.class).stream()
        .anyMatch(l -> l.getText().equals("Hi Alice, got it!")));
  }

  @Test
  @Order(5)
  void searchFindsAnOldMessageBeyondTheFirstPage() throws Exception {
    bob.send(alice, "The code word is pineapple");
    for (int i = 0; i < 60; i++) {
      bob.send(alice, "filler " + i);
    }
    waitFor(() -> bubbles().stream().anyMatch(b -> b.text().equals("filler 59")));
    // The open conversation loaded 50 rows at a time; the old message is not among the newest 50.
    robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
    robot.write("pineapple");
    waitFor(() -> hits().getItems().size() == 1);
    robot.clickOn(hits().lookup(".list-cell"));
    waitFor(() -> {
      ListView<ConversationRow> list = robot.lookup("#messageList").queryListView();
      ConversationRow selected = list.getSelectionModel().getSelectedItem();
      return selected instanceof ConversationRow.Bubble b && b.text().equals("The code word is pineapple");
    });
    robot.type(KeyCode.ESCAPE);
    waitFor(() -> text("#searchField").isEmpty());
  }

  @Test
  @Order(6)
  void aNewSafetyNumberShowsTheBanner() throws Exception {
    assertThat(robot.lookup("#identityBanner").query().isVisible()).isFalse();
    // Bob re-installs: same number, new identity key; his first message carries it.
    try (ParleyClient newBob = parley.register(bobNumber).client()) {
      newBob.connect();
      newBob.send(alice, "New laptop, same Bob");
      waitFor(() -> robot.lookup("#identityBanner").tryQuery().map(Node::isVisible).orElse(false));
      robot.clickOn("#safetyNumberButton");
      waitFor(() -> text("#safetyNumberDigits").matches("(?s)[0-9 \\n]{60,}"));
      assertThat(text("#safetyNumberDigits").replaceAll("\\s", ""))
          .isEqualTo(newBob.safetyNumber(alice).digits().replaceAll("\\s", ""));
      robot.type(KeyCode.ESCAPE);
      robot.clickOn("#dismissBanner");
      waitFor(() -> !robot.lookup("#identityBanner").query().isVisible());
    }
  }

  @Test
  @Order(7)
  void settingsSwitchTheThemeAndSaveTheProfileName() throws Exception {
    robot.clickOn("#settingsButton");
    waitFor(() -> robot.lookup("#settingsPanel").tryQuery().isPresent());
    waitFor(() -> text("#settingsDevice").contains("Phone number: " + alice));
    robot.clickOn("#themeDark");
    waitFor(() -> window.scene().getRoot().getStyleClass().contains("theme-dark"));
    robot.doubleClickOn("#settingsProfileName").eraseText(20).write("Alice T.");
    robot.clickOn("#settingsSaveName");
    waitFor(() -> text("#profileName").equals("Alice T."));
    robot.type(KeyCode.ESCAPE);
    waitFor(() -> robot.lookup("#settingsPanel").tryQuery().isEmpty());
    // Saved to desktop.properties on the io thread.
    waitFor(() -> context.settings().settings().profileName().equals("Alice T."));
    assertThat(context.settings().settings().theme()).isEqualTo(Theme.DARK);
  }

  @Test
  @Order(8)
  void clickingAChatPutsTheCursorInItsComposer() throws Exception {
    String carolNumber = Users.newNumber();
    try (ParleyClient carol = Users.register(parley.server(), carolNumber)) {
      carol.connect();
      carol.send(alice, "Hi, it's Carol");
      waitFor(() -> chatCell(carolNumber).isPresent());
    }
    robot.clickOn("#searchField");
    robot.clickOn(chatCell(carolNumber).orElseThrow());
    waitFor(() -> text("#conversationTitle").equals(carolNumber));
    robot.write("typed right after the click");
    assertThat(text("#composer")).isEqualTo("typed right after the click");
    assertThat(text("#searchField")).isEmpty();

    // The chat that is already open, too.
    robot.clickOn("#searchField");
    robot.clickOn(chatCell(carolNumber).orElseThrow());
    robot.write("!");
    assertThat(text("#composer")).isEqualTo("typed right after the click!");
    assertThat(text("#searchField")).isEmpty();
  }

  /** The chat list's row for {@code number} (its name is the number: no contact name was given). */
  private Optional<Node> chatCell(String number) {
    return robot.lookup(".chat-cell").queryAll().stream()
        .filter(cell -> cell.lookup(".chat-name") instanceof Label name && number.equals(fx(name::getText)))
        .findFirst();
  }

  private ListView<Object> hits() {
    return robot.lookup("#searchHits").queryListView();
  }

  private List<ConversationRow.Bubble> bubbles() {
    ListView<ConversationRow> list = robot.lookup("#messageList").queryListView();
    return fx(() -> list.getItems().stream()
        .filter(r -> r instanceof ConversationRow.Bubble).map(r -> (ConversationRow.Bubble) r).toList());
  }

  private List<ConversationRow.Bubble> outgoing() {
    return bubbles().stream().filter(ConversationRow.Bubble::outgoing).toList();
  }

  private List<Label> tickLabels() {
    return List.copyOf(robot.lookup(".tick").queryAllAs(Label.class));
  }

  private String text(String query) {
    return Ui.text(robot, query);
  }
}
