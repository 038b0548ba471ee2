package org.parley.desktop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.desktop.ui.Ui.fx;
import static org.parley.desktop.ui.Ui.waitFor;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.input.Clipboard;
import javafx.scene.input.DataFormat;
import javafx.scene.input.KeyCode;
import javafx.stage.Window;
import javax.imageio.ImageIO;
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
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.desktop.view.FileDialogs;
import org.parley.desktop.vm.MainViewModel;
import org.parley.desktop.vm.TestPictures;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;
import org.testfx.api.FxRobot;

/**
 * Pictures and files through the real UI, headless (Monocle), against the real server and a second real
 * client-core user ("Bob"): a picture dropped on the conversation goes through the preview sheet to Bob, Bob's
 * picture shows blurred then sharp and opens in the viewer, a file card's Open and Save as write its bytes.
 * The native file dialogs and the desktop's "open with" lie outside the app and are replaced by recording ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AttachmentUiTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private ParleyClient bob;
  private final List<Message> bobReceived = new CopyOnWriteArrayList<>();
  private final String bobNumber = Users.newNumber();
  private final List<Path> opened = new CopyOnWriteArrayList<>();
  private volatile Path saveTarget;
  private Path files;
  private AppUnderTest app;
  private MainViewModel main;
  private final FxRobot robot = new FxRobot();

  @BeforeAll
  void start() throws Exception {
    files = Files.createTempDirectory("parley-attach-ui");
    bob = parley.register(bobNumber).client();
    bob.addListener(new ParleyListener() {
      @Override
      public void messageReceived(Message message) {
        bobReceived.add(message);
      }
    });
    bob.connect();
    app = AppUnderTest.register(parley, Users.newNumber());
    app.open(Map.of("PARLEY_AUDIO", "none"));
    main = app.main();
    fx(() -> {
      main.setOpener(opened::add);
      app.window().useFileDialogs(new FileDialogs() {
        @Override
        public List<Path> filesToSend(Window owner) {
          return List.of();
        }

        @Override
        public Optional<Path> saveTarget(Window owner, String fileName) {
          return Optional.ofNullable(saveTarget);
        }
      });
      return null;
    });
  }

  @AfterAll
  void stop() throws Exception {
    app.close();
    bob.close();
  }

  @Test
  @Order(1)
  void aPictureDroppedOnTheConversationIsPreviewedCaptionedAndArrivesWithItsThumbnail() throws Exception {
    Ui.startChat(robot, bobNumber);

    Path photo = TestPictures.write(TestPictures.halves(1600, 1200), "jpg", files.resolve("dropped.jpg"));
    // A robot cannot drag a file in from outside the app on a headless display (there is no drag source there):
    // this calls the handler the DRAG_DROPPED event calls, with the file list a drop carries.
    fx(() -> {
      app.window().dropFiles(List.of(photo));
      return null;
    });
    waitFor(() -> robot.lookup("#attachmentSheet").query().isVisible());
    assertThat(robot.lookup(".draft-name").queryLabeled().getText()).isEqualTo("dropped.jpg");
    robot.clickOn("#attachmentCaption").write("From the desktop");
    robot.clickOn("#attachmentSend");
    waitFor(() -> !robot.lookup("#attachmentSheet").query().isVisible());

    waitFor(() -> bobReceived.stream().anyMatch(Message::hasAttachments));
    Message got = bobReceived.stream().filter(Message::hasAttachments).findFirst().orElseThrow();
    assertThat(got.text()).isEqualTo("From the desktop");
    Attachment picture = got.attachments().get(0);
    // Bob sees the thumbnail at once (it came inside the message), then the full picture.
    assertThat(picture.thumbnail()).isPresent();
    var thumbnail = ImageIO.read(new ByteArrayInputStream(picture.thumbnail().get()));
    assertThat(thumbnail.getWidth() * 3).isBetween(thumbnail.getHeight() * 4 - 4, thumbnail.getHeight() * 4 + 4);
    bob.awaitDownload(picture.id(), Duration.ofSeconds(30));
    try (InputStream in = bob.openAttachment(picture.id())) {
      var full = ImageIO.read(in);
      assertThat(full.getWidth()).isEqualTo(1600);
      assertThat(full.getHeight()).isEqualTo(1200);
    }
    // On this side the bubble shows the picture itself (it is local), not only the thumbnail.
    waitFor(() -> pictureShown().isPresent());
  }

  @Test
  @Order(2)
  void bobsPictureShowsBlurredThenSharpAndOpensInTheViewer() throws Exception {
    // No automatic download: the thumbnail stays until Download is clicked.
    app.context().client().orElseThrow().setAutoDownloadLimit(0);
    Path photo = TestPictures.write(TestPictures.halves(2400, 1600), "jpg", files.resolve("from-bob.jpg"));
    bob.send(app.number, "Look", List.of(OutgoingAttachment.of(photo)));
    ParleyClient me = app.context().client().orElseThrow();
    waitFor(() -> me.history(bobNumber, 5).stream().anyMatch(m -> m.text().equals("Look")));
    long id = me.history(bobNumber, 5).stream().filter(m -> m.text().equals("Look")).findFirst().orElseThrow()
        .attachments().get(0).id();
    waitFor(() -> tile(id).isPresent() && onScreen(".transfer-download").isPresent());
    ImageView thumb = (ImageView) tile(id).orElseThrow().lookup(".attachment-thumbnail");
    assertThat(fx(() -> thumb.getImage() != null && thumb.isVisible() && thumb.getEffect() != null)).isTrue();
    assertThat(tile(id).orElseThrow().lookup(".attachment-picture")).isNull();

    clickWhenSteady(tile(id).orElseThrow().lookup(".transfer-download"));
    waitFor(() -> tile(id).map(t -> t.lookup(".attachment-picture")).map(v -> fx(() -> ((ImageView) v).getImage()))
        .isPresent());
    ImageView sharp = (ImageView) tile(id).orElseThrow().lookup(".attachment-picture");
    // Decoded at tile size (280 × 187), not at 2400 × 1600; the blurred thumbnail is hidden.
    assertThat(fx(() -> sharp.getImage().getWidth())).isLessThanOrEqualTo(280);
    Node shownThumb = tile(id).orElseThrow().lookup(".attachment-thumbnail");
    assertThat(fx(shownThumb::isVisible)).isFalse();

    clickWhenSteady(sharp);
    waitFor(() -> robot.lookup("#viewerTitle").tryQuery().isPresent()
        && Ui.text(robot, "#viewerTitle").startsWith("from-bob.jpg"));
    saveTarget = files.resolve("viewer-save.jpg");
    robot.clickOn("#viewerSave");
    waitFor(() -> Files.exists(saveTarget) && Files.size(saveTarget) > 0);
    try (InputStream in = me.openAttachment(id)) {
      assertThat(Files.readAllBytes(saveTarget)).isEqualTo(in.readAllBytes());
    }
    // Previous goes to the picture Alice sent in the first step.
    robot.clickOn("#viewerPrevious");
    waitFor(() -> Ui.text(robot, "#viewerTitle").startsWith("dropped.jpg"));
    robot.type(KeyCode.ESCAPE);
    waitFor(() -> robot.lookup("#viewerTitle").tryQuery().map(n -> !n.getScene().getWindow().isShowing())
        .orElse(true));
  }

  @Test
  @Order(3)
  void aFileCardsOpenAndSaveAsWriteTheExactBytes() throws Exception {
    byte[] bytes = new byte[200_000];
    new Random(3).nextBytes(bytes);
    Path file = Files.write(files.resolve("minutes.pdf"), bytes);
    bob.send(app.number, "", List.of(OutgoingAttachment.of(file)));
    waitFor(() -> robot.lookup(".file-name").queryAllAs(Label.class).stream()
        .anyMatch(l -> l.getText().equals("minutes.pdf")));
    // Automatic downloads are off (step 2): the card offers Download.
    waitFor(() -> onScreen(".transfer-download").isPresent());
    clickWhenSteady(onScreen(".transfer-download").orElseThrow());
    ParleyClient me = app.context().client().orElseThrow();
    long id = me.history(bobNumber, 5).stream().filter(Message::hasAttachments).reduce((a, b) -> b).orElseThrow()
        .attachments().get(0).id();
    waitFor(() -> me.attachment(id).state() == AttachmentState.DOWNLOADED);
    waitFor(() -> onScreen(".file-open").isPresent());
    clickWhenSteady(onScreen(".file-open").orElseThrow());
    waitFor(() -> !opened.isEmpty());
    assertThat(opened.get(0).getFileName().toString()).isEqualTo("minutes.pdf");
    assertThat(Files.readAllBytes(opened.get(0))).isEqualTo(bytes);

    saveTarget = files.resolve("saved-minutes.pdf");
    clickWhenSteady(onScreen(".file-save").orElseThrow());
    waitFor(() -> Files.exists(saveTarget) && Files.size(saveTarget) == bytes.length);
    assertThat(Files.readAllBytes(saveTarget)).isEqualTo(bytes);
    assertThat(Ui.text(robot, "#conversationTitle")).isEqualTo(bobNumber);
  }

  @Test
  @Order(4)
  void aPictureOnTheClipboardIsPastedIntoThePreviewSheet() throws Exception {
    WritableImage image = new WritableImage(64, 48);
    fx(() -> {
      for (int y = 0; y < 48; y++) {
        for (int x = 0; x < 64; x++) {
          image.getPixelWriter().setArgb(x, y, x < 32 ? 0xffff0000 : 0xff0000ff);
        }
      }
      return Clipboard.getSystemClipboard().setContent(Map.of(DataFormat.IMAGE, image));
    });
    robot.clickOn("#composer");
    robot.press(KeyCode.CONTROL, KeyCode.V).release(KeyCode.V, KeyCode.CONTROL);
    waitFor(() -> robot.lookup("#attachmentSheet").query().isVisible());
    assertThat(robot.lookup(".draft-name").queryLabeled().getText()).isEqualTo("Pasted picture.png");
    Path pasted = fx(() -> main.current.get().orElseThrow().draft.items.get().get(0).file());
    var png = ImageIO.read(pasted.toFile());
    assertThat(png.getWidth()).isEqualTo(64);
    assertThat(png.getRGB(10, 10) & 0xffffff).isEqualTo(0xff0000);
    assertThat(png.getRGB(50, 10) & 0xffffff).isEqualTo(0x0000ff);
    robot.clickOn("#attachmentCancel");
    waitFor(() -> !robot.lookup("#attachmentSheet").query().isVisible());
    assertThat(Ui.text(robot, "#composer")).isEmpty();
    // The PNG written for the paste goes with the draft.
    waitFor(() -> !Files.exists(pasted));
  }

  /**
   * The last node {@code query} finds that is really on screen: the list keeps recycled cells, hidden, with their
   * old content, and a lookup finds those too.
   */
  private Optional<Node> onScreen(String query) {
    return robot.lookup(query).queryAll().stream().filter(AttachmentUiTest::shownWithAncestors)
        .reduce((a, b) -> b);
  }

  private static boolean shownWithAncestors(Node node) {
    return fx(() -> {
      for (Node n = node; n != null; n = n.getParent()) {
        if (!n.isVisible()) {
          return false;
        }
      }
      return node.getScene() != null;
    });
  }

  /**
   * Clicks {@code node} once it lies inside the message list and has stopped moving: rows grow as pictures arrive
   * and the list follows the newest row, and a click during that lands elsewhere.
   */
  private void clickWhenSteady(Node node) throws Exception {
    Node list = robot.lookup("#messageList").query();
    Bounds[] last = {null};
    waitFor(() -> {
      Bounds now = fx(() -> node.localToScreen(node.getBoundsInLocal()));
      Bounds area = fx(() -> list.localToScreen(list.getBoundsInLocal()));
      boolean steady = now != null && now.equals(last[0]) && area.contains(now);
      last[0] = now;
      return steady;
    });
    robot.clickOn(node);
  }

  /** The tile of attachment {@code id} on screen (tiles carry their attachment's id as user data). */
  private Optional<Node> tile(long id) {
    return robot.lookup(".attachment-tile").queryAll().stream()
        .filter(t -> Long.valueOf(id).equals(fx(t::getUserData)) && shownWithAncestors(t)).findFirst();
  }

  private Optional<ImageView> pictureShown() {
    return pictures().stream().filter(v -> fx(() -> v.getImage() != null)).findFirst();
  }

  private List<ImageView> pictures() {
    return robot.lookup(".attachment-picture").queryAllAs(ImageView.class).stream()
        .filter(v -> shownWithAncestors(v.getParent())).toList();
  }
}
