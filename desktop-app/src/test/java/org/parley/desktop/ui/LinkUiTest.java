package org.parley.desktop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.desktop.ui.Ui.fx;
import static org.parley.desktop.ui.Ui.waitFor;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.TextField;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelReader;
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
import org.parley.client.api.ParleyClient;
import org.parley.desktop.AppContext;
import org.parley.desktop.LaunchOptions;
import org.parley.desktop.view.AppWindow;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * "Link to my phone" in the real UI (headless Monocle): the screen shows a QR code, the test reads the code back
 * from the pixels on screen, a client-core primary adds the device with what it read, and the app opens its chats.
 * Then the phone unlinks it: the window says so, and "Link again" links it anew into an empty local database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LinkUiTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private AppContext context;
  private AppWindow window;
  private final FxRobot robot = new FxRobot();
  private final String number = Users.newNumber();
  private ParleyClient phone;

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("parley-desktop-link");
    LaunchOptions options = new LaunchOptions(dir, parley.url(), Optional.empty());
    context = AppContext.create(options, Platform::runLater, Map.of());
    Stage stage = FxToolkit.registerPrimaryStage();
    FxToolkit.setupFixture(() -> window = AppWindow.open(stage, context));
  }

  @AfterAll
  void stop() throws Exception {
    FxToolkit.setupFixture(() -> window.stage().hide());
    context.close();
    if (phone != null) {
      phone.close();
    }
  }

  @Test
  @Order(1)
  void theLinkScreenShowsAQrCodeThatAPhoneScansAndTheChatsOpen() throws Exception {
    waitFor(() -> robot.lookup("#welcomeLink").tryQuery().isPresent());
    robot.clickOn("#welcomeLink");
    waitFor(() -> fx(() -> robot.lookup("#linkQr").queryAs(ImageView.class).getImage() != null));
    String shownText = fx(() -> robot.lookup("#linkUri").queryAs(TextField.class).getText());
    assertThat(shownText).startsWith("parley://link?uuid=");
    assertThat(text("#linkState")).startsWith("Waiting for your phone");

    // What a phone's camera would see: the QR code's pixels on screen.
    String scanned = fx(() -> decode(robot.lookup("#linkQr").queryAs(ImageView.class).getImage()));
    assertThat(scanned).isEqualTo(shownText);

    phone = Users.register(parley.server(), number); // used by the next test too: closed in stop()
    {
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

  @Test
  @Order(2)
  void unlinkedByThePhoneTheWindowSaysSoAndLinkingAgainStartsWithAnEmptyHistory() throws Exception {
    String bob = Users.newNumber();
    try (ParleyClient b = parley.register(bob).client()) {
      b.connect();
      b.send(number, "before the unlink");
      waitFor(() -> context.client().orElseThrow().contacts().stream().anyMatch(c -> c.number().equals(bob)));

      phone.unlink(2);
      waitFor(() -> robot.lookup("#unlinkedScreen").tryQuery().isPresent());
      assertThat(text("#unlinkedTitle")).isEqualTo("This computer was unlinked from your phone's account");
      assertThat(text("#unlinkedText")).contains(number);
      assertThat(text("#unlinkedSetUp")).isEqualTo("Link again");
      assertThat(robot.lookup("#unlinkedQuit").tryQuery()).isPresent();
      assertThat(robot.lookup("#settingsButton").tryQuery()).isEmpty();

      robot.clickOn("#unlinkedSetUp");
      waitFor(() -> fx(() -> robot.lookup("#linkQr").queryAs(ImageView.class).getImage() != null));
      assertThat(context.client()).isEmpty();
      String scanned = fx(() -> decode(robot.lookup("#linkQr").queryAs(ImageView.class).getImage()));
      // The server gives the next id above the highest in use: 2 is free again.
      assertThat(phone.addDevice(scanned, "Alice again").deviceId()).isEqualTo(2);
      waitFor(() -> robot.lookup("#settingsButton").tryQuery().isPresent());
      ParleyClient relinked = context.client().orElseThrow();
      assertThat(relinked.account().deviceId()).isEqualTo(2);
      assertThat(relinked.revoked()).isEmpty();
      assertThat(relinked.contacts()).isEmpty();

      b.send(number, "after linking again");
      waitFor(() -> relinked.contacts().stream().anyMatch(c -> c.number().equals(bob)));
      assertThat(relinked.history(bob, 10)).extracting(Message::text)
          .containsExactly("after linking again");
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
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(w, h, argb)));
    try {
      return new QRCodeReader().decode(bitmap).getText();
    } catch (ReaderException photoFailed) {
      // the finder-pattern search misses about 1 in 100 clean generated codes; the image is only the code
      try {
        return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE))
            .getText();
      } catch (ReaderException e) {
        throw new AssertionError("no QR code on the link screen", photoFailed);
      }
    }
  }

  private String text(String query) {
    return Ui.text(robot, query);
  }
}
