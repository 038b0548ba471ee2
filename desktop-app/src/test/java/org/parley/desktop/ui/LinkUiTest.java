package org.parley.desktop.ui;

import static org.parley.desktop.ui.Ui.fx;
import static org.parley.desktop.ui.Ui.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelReader;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.parley.client.api.ParleyClient;
import org.parley.client.support.LocalServer;
import org.parley.client.support.Users;
import org.parley.desktop.AppContext;
import org.parley.desktop.LaunchOptions;
import org.parley.desktop.view.AppWindow;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * "Link to my phone" in the real UI (headless Monocle): the screen shows a QR code, the test reads the code back
 * from the pixels on screen, a client-core primary adds the device with what it read, and the app opens its chats.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LinkUiTest {

  private LocalServer server;
  private AppContext context;
  private AppWindow window;
  private final FxRobot robot = new FxRobot();

  @BeforeAll
  void start() throws Exception {
    server = LocalServer.start();
    Path dir = Files.createTempDirectory("parley-desktop-link");
    LaunchOptions options = new LaunchOptions(false, false, Optional.of(dir), server.url(), Optional.empty(),
        Optional.empty(), false);
    context = AppContext.create(options, Platform::runLater, Map.of());
    Stage stage = FxToolkit.registerPrimaryStage();
    FxToolkit.setupFixture(() -> window = AppWindow.open(stage, context));
  }

  @AfterAll
  void stop() throws Exception {
    FxToolkit.setupFixture(() -> window.stage().hide());
    context.close();
    server.close();
  }

  @Test
  void theLinkScreenShowsAQrCodeThatAPhoneScansAndTheChatsOpen() throws Exception {
    waitFor(() -> robot.lookup("#welcomeLink").tryQuery().isPresent());
    robot.clickOn("#welcomeLink");
    waitFor(() -> fx(() -> robot.lookup("#linkQr").queryAs(ImageView.class).getImage() != null));
    String shownText = fx(() -> robot.lookup("#linkUri").queryAs(javafx.scene.control.TextField.class).getText());
    assertThat(shownText).startsWith("parley://link?uuid=");
    assertThat(text("#linkState")).startsWith("Waiting for your phone");

    // What a phone's camera would see: the QR code's pixels on screen.
    String scanned = fx(() -> decode(robot.lookup("#linkQr").queryAs(ImageView.class).getImage()));
    assertThat(scanned).isEqualTo(shownText);

    String number = Users.newNumber();
    try (ParleyClient phone = Users.register(server, number)) {
      assertThat(phone.addDevice(scanned, "Alice from the phone").deviceId()).isEqualTo(2);
      window.mainShown().get(30, TimeUnit.SECONDS);
      waitFor(() -> text("#profileName").equals("Alice from the phone"));
      assertThat(context.client().orElseThrow().account().deviceId()).isEqualTo(2);

      robot.clickOn("#settingsButton");
      waitFor(() -> robot.lookup("#device-1").tryQuery().isPresent() && robot.lookup("#device-2").tryQuery()
          .isPresent());
      // A linked device sees the list; unlinking is the primary's.
      assertThat(robot.lookup("#unlink-1").tryQuery()).isEmpty();
      assertThat(robot.lookup("#unlink-2").tryQuery()).isEmpty();
    }
  }

  private static String decode(Image image) {
    int w = (int) image.getWidth();
    int h = (int) image.getHeight();
    int[] argb = new int[w * h];
    PixelReader pixels = image.getPixelReader();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        argb[y * w + x] = pixels.getArgb(x, y);
      }
    }
    try {
      return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(w, h, argb))))
          .getText();
    } catch (com.google.zxing.ReaderException e) {
      throw new AssertionError("no QR code on the link screen", e);
    }
  }

  private String text(String query) {
    return Ui.text(robot, query);
  }
}
