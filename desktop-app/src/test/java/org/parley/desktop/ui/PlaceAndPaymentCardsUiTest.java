package org.parley.desktop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.desktop.ui.Ui.fx;
import static org.parley.desktop.ui.Ui.waitFor;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.location.Location;
import org.parley.client.api.payments.InrAmount;
import org.parley.client.api.payments.PaymentRequestEntry;
import org.parley.client.api.payments.PaymentState;
import org.parley.client.api.payments.Vpa;
import org.parley.desktop.LaunchOptions;
import org.parley.desktop.maps.TileServer;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;
import org.testfx.api.FxRobot;

/**
 * The real UI, headless (Monocle), shows a place and a payment request from a real client-core user: the location
 * card with its coordinates, the payment card with a QR code that decodes to exactly the link, and "Paid" with a
 * UTR that reaches the requester.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PlaceAndPaymentCardsUiTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private ParleyClient bob;
  private final String bobNumber = Users.newNumber();
  private AppUnderTest app;
  private final FxRobot robot = new FxRobot();

  @BeforeAll
  void start() throws Exception {
    app = AppUnderTest.register(parley, Users.newNumber());
    bob = parley.register(bobNumber).client();
    bob.connect();
    // Maps off: no test reaches the internet, and the card is its text (PlaceAndPaymentSheetsUiTest has maps).
    app.open(new LaunchOptions(app.dir, parley.url(), Optional.empty(), Optional.empty(),
        Optional.of(TileServer.NONE)), Map.of());
  }

  @AfterAll
  void stop() throws Exception {
    app.close();
    bob.close();
  }

  @Test
  void theCardsRenderAndThePayerMarksTheRequestPaid() throws Exception {
    bob.sendLocation(app.number, Location.of(48.85837, 2.29448, Optional.empty(), Optional.of("Eiffel Tower"),
        Optional.empty()));
    PaymentRequestEntry request = bob.requestPayment(app.number, InrAmount.parse("250"), Vpa.parse("bob@okbank"),
        "Bob Kumar", Optional.of("Dinner")).payment().orElseThrow();
    app.main();
    waitFor(() -> chatCell(bobNumber).isPresent());
    robot.clickOn(chatCell(bobNumber).orElseThrow());

    waitFor(() -> robot.lookup("#locationCard").tryQuery().isPresent()
        && robot.lookup("#paymentCard").tryQuery().isPresent());
    assertThat(text("#locationCoordinates")).isEqualTo("48.85837° N, 2.29448° E");
    assertThat(robot.lookup("#locationMap").tryQuery()).isEmpty();
    assertThat(text("#paymentAmount")).isEqualTo("₹250.00");
    assertThat(text("#paymentState")).isEqualTo("Pay in your UPI app, then mark it paid");
    assertThat(decode(robot.lookup("#paymentQr").queryAs(ImageView.class))).isEqualTo(request.request().upiLink());
    assertThat(fx(() -> robot.lookup("#cancelPayment").query().isVisible())).isFalse();

    robot.clickOn("#paymentUtr").write("412345678901");
    robot.clickOn("#markPaid");
    waitFor(() -> bob.payment(request.id()).status().state() == PaymentState.PAID);
    waitFor(() -> text("#paymentState").equals("Paid · UTR 412345678901"));
    assertThat(fx(() -> robot.lookup("#markPaid").query().getParent().isVisible())).isFalse();
  }

  private Optional<Node> chatCell(String number) {
    return robot.lookup(".chat-cell").queryAll().stream()
        .filter(cell -> cell.lookup(".chat-name") instanceof Label name && number.equals(fx(name::getText)))
        .findFirst();
  }

  private String text(String query) {
    return Ui.text(robot, query);
  }

  /** Reads the QR code off the image the card shows, as a phone's camera would. */
  private static String decode(ImageView view) throws Exception {
    Image image = fx(view::getImage);
    int width = (int) image.getWidth();
    int height = (int) image.getHeight();
    int[] pixels = new int[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        pixels[y * width + x] = image.getPixelReader().getArgb(x, y);
      }
    }
    return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(width, height,
        pixels)))).getText();
  }
}
