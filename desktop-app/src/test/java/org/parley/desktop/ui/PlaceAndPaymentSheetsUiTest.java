package org.parley.desktop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.parley.desktop.ui.Ui.fx;
import static org.parley.desktop.ui.Ui.waitFor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.geometry.VerticalDirection;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.location.Location;
import org.parley.client.api.payments.PaymentRequest;
import org.parley.desktop.AppContext;
import org.parley.desktop.LaunchOptions;
import org.parley.desktop.maps.TileCache;
import org.parley.desktop.maps.TileServer;
import org.parley.desktop.view.AppWindow;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The composer's "+" on the real window, headless: "Share location…" (the map from a local tile server, dragged;
 * a bad place refused; typed degrees-minutes-seconds and a label; Send) and "Request payment…" (problems shown by
 * their fields; then Send) reach a real client-core user through the real server, and the sent place's bubble
 * shows its map.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlaceAndPaymentSheetsUiTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private ParleyClient bob;
  private final String alice = Users.newNumber();
  private final String bobNumber = Users.newNumber();
  private AppContext context;
  private AppWindow window;
  private FixtureTiles tiles;
  private final FxRobot robot = new FxRobot();

  @BeforeAll
  void start() throws Exception {
    tiles = new FixtureTiles();
    Path dir = Files.createTempDirectory("parley-desktop-sheets");
    parley.register(alice, dir).client().close();
    bob = parley.register(bobNumber).client();
    bob.connect();
    LaunchOptions options = new LaunchOptions(dir, parley.url(), Optional.empty(), Optional.empty(),
        Optional.of(TileServer.parse(tiles.template())));
    context = AppContext.create(options, Platform::runLater, Map.of());
    Stage stage = FxToolkit.registerPrimaryStage();
    FxToolkit.setupFixture(() -> {
      stage.setWidth(1000);
      stage.setHeight(480); // the window's minimum: the sheets' fields and buttons must still be reachable
      window = AppWindow.open(stage, context);
    });
  }

  @AfterAll
  void stop() throws Exception {
    FxToolkit.setupFixture(() -> window.stage().hide());
    context.close();
    bob.close();
    tiles.close();
  }

  @Test
  void aPlaceAndAPaymentRequestGoFromTheSheetsToBob() throws Exception {
    bob.send(alice, "Where shall we meet?");
    window.mainShown().get(30, TimeUnit.SECONDS);
    waitFor(() -> chatCell(bobNumber).isPresent());
    robot.clickOn(chatCell(bobNumber).orElseThrow());
    waitFor(() -> robot.lookup("#composerMenu").tryQuery().isPresent());

    robot.clickOn("#composerMenu");
    robot.clickOn("Share location…");
    waitFor(() -> visible("#shareLocationSheet"));
    // The world map comes from the local tile server, asked with the app's User-Agent.
    waitFor(() -> tileViews("#shareLocationMap") > 0);
    assertThat(tiles.userAgents).isNotEmpty().allMatch(TileCache.USER_AGENT::equals);
    assertThat(text("#shareLocationCoordinates")).isEmpty();
    robot.clickOn("#shareLocationSend");
    waitFor(() -> text("#shareLocationError").equals("Move the map to the place or type its coordinates"));

    // Dragging the map puts the pin on another place and writes it into the field.
    robot.drag("#shareLocationMap").dropBy(-80, 40);
    waitFor(() -> !text("#shareLocationCoordinates").isEmpty());
    assertThat(text("#shareLocationCoordinates")).matches("-?\\d+\\.\\d{5}, -?\\d+\\.\\d{5}");
    // + zooms in around the pin (zoom 2 → 3: its tiles are asked for), the wheel further around the mouse.
    String picked = text("#shareLocationCoordinates");
    robot.clickOn("#mapZoomIn");
    waitFor(() -> tiles.requests.stream().anyMatch(p -> p.startsWith("/3/")));
    assertThat(text("#shareLocationCoordinates")).isEqualTo(picked);
    assertThat(zoomOf("#shareLocationMap")).isEqualTo("zoom 3");
    // The wheel zooms by one step (which way a robot's "up" turns the wheel is the platform's business).
    robot.moveTo("#shareLocationMap").scroll(VerticalDirection.UP);
    waitFor(() -> !zoomOf("#shareLocationMap").equals("zoom 3"));
    assertThat(zoomOf("#shareLocationMap")).isIn("zoom 2", "zoom 4");
    robot.clickOn("#mapZoomOut");
    waitFor(() -> zoomOf("#shareLocationMap").matches("zoom [13]"));

    robot.doubleClickOn("#shareLocationCoordinates").push(KeyCode.CONTROL, KeyCode.A).eraseText(1).write("91, 0");
    waitFor(() -> text("#shareLocationError").contains("Latitude must be between -90 and 90"));
    // Typed with a degree sign and primes (set as a paste would; the robot types ASCII only).
    TextField field = robot.lookup("#shareLocationCoordinates").queryAs(TextField.class);
    fx(() -> {
      field.setText("48°51'30\"N 2°17'40\"E");
      return null;
    });
    waitFor(() -> text("#shareLocationError").isEmpty());
    robot.clickOn("#shareLocationLabel").write("Eiffel Tower");
    robot.clickOn("#shareLocationSend");
    waitFor(() -> !visible("#shareLocationSheet"));

    waitFor(() -> lastFromAlice().flatMap(Message::location).isPresent());
    Location got = lastFromAlice().flatMap(Message::location).orElseThrow();
    assertThat(got.latitude()).isCloseTo(48.858333, within(1e-6));
    assertThat(got.longitude()).isCloseTo(2.294444, within(1e-6));
    assertThat(got.name()).contains("Eiffel Tower");
    // Our own bubble: the card with its map, from the same tile server.
    waitFor(() -> robot.lookup("#locationMap").tryQuery().map(Node::isVisible).orElse(false)
        && tileViews("#locationMap") > 0);
    assertThat(tiles.requests).anyMatch(p -> p.startsWith("/15/16592/"));

    robot.clickOn("#composerMenu");
    robot.clickOn("Request payment…");
    waitFor(() -> visible("#paymentRequestSheet"));
    robot.clickOn("#paymentRequestAmount").write("0");
    robot.clickOn("#paymentRequestVpa").write("alice");
    robot.clickOn("#paymentRequestSend");
    waitFor(() -> text("#paymentRequestAmountError").contains("more than ₹0"));
    assertThat(text("#paymentRequestVpaError")).contains("has no @");
    assertThat(text("#paymentRequestNameError")).contains("Your name");
    assertThat(visible("#paymentRequestSheet")).isTrue();

    robot.doubleClickOn("#paymentRequestAmount").eraseText(1).write("250.50");
    robot.clickOn("#paymentRequestVpa").write("@okbank");
    robot.clickOn("#paymentRequestName").write("Alice Rao");
    robot.clickOn("#paymentRequestNote").write("Dinner");
    robot.clickOn("#paymentRequestSend");
    waitFor(() -> !visible("#paymentRequestSheet"));

    waitFor(() -> lastFromAlice().flatMap(Message::payment).isPresent());
    PaymentRequest request = lastFromAlice().flatMap(Message::payment).orElseThrow().request();
    assertThat(request.amount().formatted()).isEqualTo("₹250.50");
    assertThat(request.payee().value()).isEqualTo("alice@okbank");
    assertThat(request.payeeName()).isEqualTo("Alice Rao");
    assertThat(request.note()).contains("Dinner");
    waitFor(() -> robot.lookup("#paymentAmount").queryAll().stream()
        .anyMatch(n -> "₹250.50".equals(fx(((Label) n)::getText))));
  }

  private Optional<Message> lastFromAlice() throws Exception {
    List<Message> history = bob.history(alice, 5);
    return history.stream().filter(m -> m.direction() == Message.Direction.INCOMING)
        .reduce((a, b) -> b);
  }

  /** "zoom N", from the map's accessible text. */
  private String zoomOf(String query) {
    Node map = robot.lookup(query).query();
    return fx(() -> map.getAccessibleText().replaceAll(".*(zoom \\d+).*", "$1"));
  }

    private boolean visible(String query) {
    return robot.lookup(query).tryQuery().map(n -> fx(n::isVisible)).orElse(false);
  }

  private long tileViews(String query) {
    Node map = robot.lookup(query).query();
    return fx(() -> ((Parent) map).lookupAll("ImageView").stream().filter(n -> n instanceof ImageView v
        && v.getImage() != null).count());
  }

  private Optional<Node> chatCell(String number) {
    return robot.lookup(".chat-cell").queryAll().stream()
        .filter(cell -> cell.lookup(".chat-name") instanceof Label name && number.equals(fx(name::getText)))
        .findFirst();
  }

  private String text(String query) {
    return Ui.text(robot, query);
  }
}
