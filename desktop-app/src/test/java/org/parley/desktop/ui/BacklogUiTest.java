package org.parley.desktop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.desktop.ui.Ui.fx;
import static org.parley.desktop.ui.Ui.waitFor;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.OutgoingText;
import org.parley.client.api.ParleyClient;
import org.parley.desktop.AppContext;
import org.parley.desktop.LaunchOptions;
import org.parley.desktop.view.AppWindow;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The real window over a real backlog: the app opens on an account that has messages waiting on the server, the chat
 * list says "Receiving N messages…" while they arrive (a picture of that moment goes to target/backlog-label.png)
 * and nothing once they are in.
 */
class BacklogUiTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private static final int BACKLOG = 600;

  @Test
  void theChatListSaysHowManyMessagesHaveArrivedWhileABacklogDrains() throws Exception {
    String me = Users.newNumber();
    Path dir = Files.createTempDirectory("parley-backlog-ui");
    parley.register(me, dir).client().close();
    try (ParleyClient carol = parley.register(Users.newNumber()).client()) {
      carol.connect();
      List<OutgoingText> texts = new ArrayList<>();
      for (int i = 0; i < BACKLOG; i++) {
        texts.add(new OutgoingText(me, "while you were away " + i));
      }
      carol.sendAll(texts);
      assertThat(carol.awaitOutboxEmpty(Duration.ofSeconds(120))).isTrue();
    }

    AppContext context = AppContext.create(new LaunchOptions(dir, parley.url(), Optional.empty()), Platform::runLater,
        Map.of());
    Stage stage = FxToolkit.registerPrimaryStage();
    AppWindow[] window = new AppWindow[1];
    List<String> shown = new CopyOnWriteArrayList<>();
    Path picture = Path.of("target", "backlog-label.png");
    Files.deleteIfExists(picture);
    FxToolkit.setupFixture(() -> window[0] = AppWindow.open(stage, context));
    // The chat list appears once the account is read; the drain starts when the client has connected after that.
    waitFor(() -> fx(() -> {
      Label label = new FxRobot().lookup("#backlogStatus").queryAs(Label.class);
      label.textProperty().addListener((o, before, text) -> {
        shown.add(text);
        if (text.startsWith("Receiving") && !Files.exists(picture)) {
          save(window[0].scene().snapshot(null), picture);
        }
      });
      return true;
    }));
    try {
      waitFor(() -> shown.contains("") && shown.stream().anyMatch(s -> s.startsWith("Receiving")));
      assertThat(shown).filteredOn(s -> !s.isEmpty())
          .allSatisfy(s -> assertThat(s).matches("Receiving [0-9,]+ messages?…"));
      assertThat(fx(() -> new FxRobot().lookup("#backlogStatus").queryAs(Label.class).isVisible())).isFalse();
      assertThat(picture).exists();
    } finally {
      FxToolkit.setupFixture(() -> window[0].stage().hide());
      context.close();
    }
  }

  private static void save(WritableImage image, Path file) {
    int w = (int) image.getWidth();
    int h = (int) image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    PixelReader reader = image.getPixelReader();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        out.setRGB(x, y, reader.getArgb(x, y));
      }
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ImageIO.write(out, "png", file.toFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
