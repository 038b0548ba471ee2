package org.parley.desktop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.desktop.ui.Ui.fx;
import static org.parley.desktop.ui.Ui.waitFor;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupMessage;
import org.parley.desktop.settings.SettingsStore;
import org.parley.desktop.vm.TestPictures;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;
import org.testfx.api.FxRobot;

/**
 * A group made through the real window, headless (Monocle), with two real client-core users on the real server:
 * New group → name, tick Bob and Carol, Create; the conversation opens with its system line; typed text reaches
 * both; their answers show their names in two colours; Group info makes Bob an admin; his rename and the lines
 * show; the tick of our message opens message info.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupUiTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private final String bobNumber = Users.newNumber();
  private final String carolNumber = Users.newNumber();
  private ParleyClient bob;
  private ParleyClient carol;
  private final List<GroupMessage> bobGot = new CopyOnWriteArrayList<>();
  private final List<GroupMessage> carolGot = new CopyOnWriteArrayList<>();
  private AppUnderTest app;
  private final FxRobot robot = new FxRobot();

  @BeforeAll
  void start() throws Exception {
    app = AppUnderTest.register(parley, Users.newNumber());
    bob = parley.register(bobNumber).client();
    carol = parley.register(carolNumber).client();
    bob.addListener(new ParleyListener() {
      @Override
      public void groupMessageReceived(GroupMessage message) {
        bobGot.add(message);
      }
    });
    carol.addListener(new ParleyListener() {
      @Override
      public void groupMessageReceived(GroupMessage message) {
        carolGot.add(message);
      }
    });
    bob.connect();
    carol.connect();
    bob.send(app.number, "Hi, it's Bob");
    carol.send(app.number, "Carol here");
    SettingsStore names = SettingsStore.open(app.dir);
    names.setContactName(bobNumber, "Bob Stone");
    names.setContactName(carolNumber, "Carol Ng");
    app.open(Map.of());
  }

  @AfterAll
  void stop() throws Exception {
    app.close();
    bob.close();
    carol.close();
  }

  @Test
  void aGroupMadeInTheWindowTalksShowsSendersAndItsChanges() throws Exception {
    app.main();
    waitFor(() -> robot.lookup(".chat-cell").queryAll().size() >= 2);

    robot.clickOn("#newGroupButton");
    waitFor(() -> robot.lookup("#newGroupPanel").tryQuery().isPresent());
    robot.clickOn("#newGroupCreate");
    waitFor(() -> text("#newGroupError").equals("Give the group a name"));
    robot.clickOn("#newGroupName").write("Book club");
    robot.clickOn(person("#newGroupPeople", "Bob Stone"));
    robot.clickOn("#newGroupFilter").write("car");
    waitFor(() -> person("#newGroupPeople", "Carol Ng") != null
        && robot.lookup("#newGroupPeople").lookup(".person-name").queryAll().stream().filter(Node::isVisible)
            .count() == 1);
    robot.clickOn(person("#newGroupPeople", "Carol Ng"));
    waitFor(() -> text("#newGroupPicked").equals("Bob Stone and Carol Ng"));
    robot.clickOn("#newGroupCreate");

    waitFor(() -> text("#conversationTitle").equals("Book club"));
    assertThat(robot.lookup("#newGroupPanel").tryQuery()).isEmpty();
    waitFor(() -> labels(".system-line").stream().anyMatch(t -> t.startsWith("You created the group \"Book club\"")));
    assertThat(text("#conversationSubtitle")).isEqualTo("You, Bob Stone, Carol Ng");
    waitFor(() -> robot.lookup(".chat-cell").queryAll().stream()
        .anyMatch(c -> c.lookup(".chat-name") instanceof Label l && fx(l::getText).equals("Book club")));

    robot.clickOn("#composer").write("First book: Dune?");
    robot.type(KeyCode.ENTER);
    waitFor(() -> bobGot.stream().anyMatch(m -> m.text().equals("First book: Dune?"))
        && carolGot.stream().anyMatch(m -> m.text().equals("First book: Dune?")));
    GroupId id = bobGot.stream().filter(m -> m.text().equals("First book: Dune?")).findFirst().orElseThrow()
        .groupId();
    assertThat(text("#composer")).isEmpty();

    bob.sendToGroup(id, "Yes, Dune!");
    carol.sendToGroup(id, "Fine by me");
    waitFor(() -> senderLabel("Bob Stone").isPresent() && senderLabel("Carol Ng").isPresent());
    String bobColour = colourClass(senderLabel("Bob Stone").orElseThrow());
    String carolColour = colourClass(senderLabel("Carol Ng").orElseThrow());
    assertThat(bobColour).startsWith("sender-");
    assertThat(carolColour).startsWith("sender-").isNotEqualTo(bobColour);
    assertThat(labels(".bubble-text")).contains("Yes, Dune!", "Fine by me");

    // Group info: our admin badge; Make admin for Bob; his rename comes back as a line and the new title.
    robot.clickOn("#groupInfoButton");
    waitFor(() -> robot.lookup("#groupInfoPanel").tryQuery().isPresent());
    assertThat(text("#groupInfoSummary")).isEqualTo("3 members · only admins edit");
    Node bobRow = memberRow("Bob Stone");
    assertThat(fx(() -> bobRow.lookup(".admin-badge").isVisible())).isFalse();
    robot.clickOn(bobRow.lookup(".member-promote"));
    waitFor(() -> labels(".system-line").stream().anyMatch(t -> t.startsWith("You made Bob Stone admin")));
    waitFor(() -> fx(() -> memberRow("Bob Stone").lookup(".admin-badge").isVisible()));
    robot.type(KeyCode.ESCAPE);
    waitFor(() -> robot.lookup("#groupInfoPanel").tryQuery().isEmpty());
    bob.renameGroup(id, "Sci-fi club");
    waitFor(() -> text("#conversationTitle").equals("Sci-fi club"));
    waitFor(() -> labels(".system-line").stream()
        .anyMatch(t -> t.startsWith("Bob Stone renamed the group to \"Sci-fi club\"")));

    // Both read our message: the tick turns blue and opens who read it.
    bob.markGroupRead(id);
    carol.markGroupRead(id);
    waitFor(() -> robot.lookup(".tick-read").tryQuery().isPresent());
    robot.clickOn(robot.lookup(".tick-info").queryAs(Node.class));
    waitFor(() -> robot.lookup("#messageInfoPanel").tryQuery().isPresent());
    waitFor(() -> text("#messageInfoSummary").equals("Read by 2 of 2 · delivered to 2 of 2"));
    assertThat(text("#messageInfoText")).isEqualTo("First book: Dune?");
    robot.type(KeyCode.ESCAPE);
  }

  @Test
  void aPictureDroppedInAGroupReachesTheMembersAndTheirPictureShowsHere() throws Exception {
    app.main();
    GroupId id = bob.createGroup("Photo club", List.of(app.number, carolNumber)).id();
    waitFor(() -> robot.lookup(".chat-cell").queryAll().stream()
        .anyMatch(c -> c.lookup(".chat-name") instanceof Label l && fx(l::getText).equals("Photo club")));
    robot.clickOn(robot.lookup(".chat-cell").queryAll().stream()
        .filter(c -> c.lookup(".chat-name") instanceof Label l && fx(l::getText).equals("Photo club"))
        .findFirst().orElseThrow());
    waitFor(() -> text("#conversationTitle").equals("Photo club"));

    // A picture dropped on the group conversation: previewed, sent once, Bob and Carol get it.
    Path photo = TestPictures.write(TestPictures.halves(800, 600), "jpg",
        Files.createTempDirectory("parley-group-ui").resolve("lake.jpg"));
    fx(() -> {
      app.window().dropFiles(List.of(photo));
      return null;
    });
    waitFor(() -> robot.lookup("#attachmentSheet").query().isVisible());
    robot.clickOn("#attachmentCaption").write("The lake");
    robot.clickOn("#attachmentSend");
    waitFor(() -> !robot.lookup("#attachmentSheet").query().isVisible());
    waitFor(() -> bobGot.stream().anyMatch(m -> m.text().equals("The lake") && m.attachments().size() == 1)
        && carolGot.stream().anyMatch(m -> m.text().equals("The lake") && m.attachments().size() == 1));
    GroupMessage atCarol = carolGot.stream().filter(m -> m.text().equals("The lake")).findFirst().orElseThrow();
    carol.awaitDownload(atCarol.attachments().get(0).id(), Duration.ofSeconds(30));
    try (InputStream in = carol.openAttachment(atCarol.attachments().get(0).id())) {
      assertThat(ImageIO.read(in).getWidth()).isEqualTo(800);
    }
    waitFor(() -> robot.lookup(".attachment-picture").queryAll().size() == 1);

    // Bob's picture shows as a picture bubble under his name; his group picture becomes the avatar.
    Path fromBob = TestPictures.write(TestPictures.halves(600, 400), "png",
        Files.createTempDirectory("parley-group-ui").resolve("boat.png"));
    bob.sendToGroup(id, "", List.of(OutgoingAttachment.of(fromBob)));
    waitFor(() -> robot.lookup(".attachment-picture").queryAll().size() == 2);
    bob.setGroupPicture(id, fromBob);
    waitFor(() -> fx(() -> ((Node) robot.lookup("#groupAvatar").query()).lookup(".avatar-picture").isVisible()));
  }

  private Node person(String list, String name) {
    return robot.lookup(list).lookup(".person-cell").queryAll().stream()
        .filter(cell -> cell.lookup(".person-name") instanceof Label l && name.equals(fx(l::getText)))
        .findFirst().orElseThrow();
  }

  private Node memberRow(String name) {
    return person("#groupInfoMembers", name);
  }

  private Optional<Label> senderLabel(String name) {
    return robot.lookup(".bubble-sender").queryAllAs(Label.class).stream()
        .filter(l -> fx(() -> l.isVisible() && l.getText().equals(name))).findFirst();
  }

  private static String colourClass(Label label) {
    return fx(() -> label.getStyleClass().stream().filter(c -> c.matches("sender-\\d+")).findFirst().orElse(""));
  }

  private List<String> labels(String query) {
    return robot.lookup(query).queryAllAs(Label.class).stream().filter(l -> fx(l::isVisible))
        .map(l -> fx(l::getText)).toList();
  }

  private String text(String query) {
    return Ui.text(robot, query);
  }
}
