package org.parley.desktop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.desktop.ui.Ui.fx;
import static org.parley.desktop.ui.Ui.startChat;
import static org.parley.desktop.ui.Ui.waitFor;

import java.awt.GraphicsEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.geometry.Rectangle2D;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.CallEndReason;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallState;
import org.parley.client.api.calls.VideoSource;
import org.parley.client.internal.calls.TestPattern;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;
import org.testfx.api.FxRobot;

/**
 * A video call through the real UI, headless (Monocle): the app's "camera" is client-core's test pattern
 * ({@code PARLEY_VIDEO_SOURCE=pattern}, there is no camera here), Bob is a client-core user who answers with his
 * own pattern. The peer's video must show the pattern's seven colour bars (read back from the window's image, so
 * the whole path — VP8, decoding, the I420 → BGRA conversion and the JavaFX image — is checked), and so must our
 * preview. Real server with STUN/TURN on loopback, real libwebrtc on both sides, sound off.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class VideoCallUiTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().turn().build();

  /** RGB of the pattern's bars, left to right: white, yellow, cyan, green, magenta, red, blue. */
  private static final int[][] BARS = {
      {1, 1, 1}, {1, 1, 0}, {0, 1, 1}, {0, 1, 0}, {1, 0, 1}, {1, 0, 0}, {0, 0, 1}};

  private volatile boolean bobSendsVideo = true;
  /** The pattern id of each frame Bob decodes (-1 where none can be read). */
  private final List<Integer> bobSaw = new CopyOnWriteArrayList<>();
  private CallPeer bob;
  private AppUnderTest app;
  private final FxRobot robot = new FxRobot();

  @BeforeAll
  void start() throws Exception {
    bob = CallPeer.register(parley, () -> bobSendsVideo
        ? CallOptions.of(AudioIo.silent()).withVideo(VideoSource.pattern(2))
        : CallOptions.of(AudioIo.silent()), Duration.ZERO);
    bob.client.calls().addVideoListener((callId, frame) -> bobSaw.add(TestPattern.read(frame.width(),
        frame.height(), frame.y(), frame.strideY()).map(TestPattern.Marker::id).orElse(-1)));
    app = AppUnderTest.register(parley, Users.newNumber())
        .open(Map.of("PARLEY_AUDIO", "none", "PARLEY_VIDEO_SOURCE", "pattern"));
    app.main();
  }

  @AfterAll
  void stop() throws Exception {
    app.close();
    bob.close();
  }

  @Test
  @Order(1)
  void aVideoCallShowsTheirPatternLargeAndOursInThePreviewAndTheCameraTurnsOff() throws Exception {
    startChat(robot, bob.number);

    robot.clickOn("#videoCallButton");
    waitFor(() -> text("#callStatus").equals("Connected"));
    waitFor(() -> showsBars("#callRemoteVideo"));
    waitFor(() -> showsBars("#callPreview"));
    Image remote = image("#callRemoteVideo");
    assertThat(fx(() -> (int) remote.getWidth())).isEqualTo(640);
    assertThat(fx(() -> (int) remote.getHeight())).isEqualTo(480);
    // Large and small: the peer's video fills the pane, ours is a thumbnail.
    double remoteWidth = fx(() -> robot.lookup("#callRemoteVideo").query().getBoundsInParent().getWidth());
    double previewWidth = fx(() -> robot.lookup("#callPreview").query().getBoundsInParent().getWidth());
    assertThat(remoteWidth).isGreaterThan(3 * previewWidth);
    waitFor(() -> text("#callVideoQuality").matches("640×480 · \\d+ fps · .* Mbit/s · loss .*"));
    assertThat(text("#callCamera")).isEqualTo("Camera off");

    robot.clickOn("#callCamera");
    waitFor(() -> text("#callCamera").equals("Camera on"));
    waitFor(() -> !fx(() -> robot.lookup("#callPreview").query().isVisible()));
    waitFor(() -> bob.states.stream().anyMatch(c -> c.state() == CallState.CONNECTED && !c.media().remoteVideo()));
    assertThat(fx(() -> robot.lookup("#callRemoteVideo").query().isVisible())).isTrue();

    robot.clickOn("#callFullScreen");
    waitFor(() -> fx(() -> ((Stage) robot.lookup("#callRemoteVideo").query().getScene().getWindow())
        .isFullScreen()));
    waitFor(() -> text("#callFullScreen").equals("Leave full screen"));
    robot.clickOn("#callFullScreen");
    waitFor(() -> !fx(() -> ((Stage) robot.lookup("#callRemoteVideo").query().getScene().getWindow())
        .isFullScreen()));

    robot.clickOn("#callMute");
    waitFor(() -> text("#callMute").equals("Unmute"));
    robot.clickOn("#callHangUp");
    waitFor(() -> text("#callStatus").startsWith("Call ended"));
    waitFor(() -> bob.states.stream().anyMatch(c -> c.state() == CallState.ENDED
        && c.endReason().orElseThrow() == CallEndReason.REMOTE_HANGUP));
    // The next call does not start with this one's last picture.
    waitFor(() -> image("#callRemoteVideo") == null);
  }

  @Test
  @Order(2)
  void anIncomingVideoCallSaysVideoCall() throws Exception {
    bob.client.calls().placeCall(app.number, CallOptions.of(AudioIo.silent()).withVideo(VideoSource.pattern(2)));
    waitFor(() -> text("#incomingStatus").equals("Video call…") && fx(() -> robot.lookup("#incomingStatus")
        .query().getScene().getWindow().isShowing()));
    robot.clickOn("#incomingDecline");
    waitFor(() -> bob.states.stream().anyMatch(c -> c.state() == CallState.ENDED
        && c.endReason().orElseThrow() == CallEndReason.DECLINED));
  }

  @Test
  @Order(3)
  void theCameraButtonTurnsAnAudioCallIntoAVideoCallOnBothSidesAndSwitchesCamera() throws Exception {
    bobSendsVideo = false;
    try {
      // The last test's windows (the incoming call, "Call ended") are gone: the click reaches the main window.
      waitFor(() -> fx(() -> Window.getWindows().stream().filter(Window::isShowing).count() == 1));
      robot.clickOn("#callButton");
      waitFor(() -> text("#callStatus").equals("Connected"));
      assertThat(fx(() -> robot.lookup("#callVideo").query().isVisible())).as("an audio call: no video pane")
          .isFalse();
      assertThat(text("#callCamera")).isEqualTo("Camera on");
      assertThat(fx(() -> robot.lookup("#callShareScreen").query().isVisible())).isTrue();

      // Our camera on: renegotiated; our window shows the video pane and preview, Bob gets our pattern (id 7).
      robot.clickOn("#callCamera");
      waitFor(() -> text("#callCamera").equals("Camera off"));
      waitFor(() -> fx(() -> robot.lookup("#callVideo").query().isVisible()));
      waitFor(() -> showsBars("#callPreview"));
      waitFor(() -> bob.states.stream().anyMatch(c -> c.state() == CallState.CONNECTED && c.media().remoteVideo()));
      waitFor(() -> bobSaw.stream().filter(id -> id == 7).count() > 10);

      // Bob's camera on too: his pattern appears large in our window.
      String callId = bob.client.calls().activeCall().orElseThrow().callId();
      bob.client.calls().startVideo(callId, VideoSource.pattern(2));
      waitFor(() -> showsBars("#callRemoteVideo"));

      // Two pattern "cameras" here: Switch camera sends the other (id 8).
      assertThat(fx(() -> robot.lookup("#callSwitchCamera").query().isVisible())).isTrue();
      int from = bobSaw.size();
      robot.clickOn("#callSwitchCamera");
      waitFor(() -> bobSaw.subList(from, bobSaw.size()).stream().filter(id -> id == 8).count() > 10);

      // Share screen: this test's JVM has no display (Monocle), so the note says why and the camera stays on.
      if (GraphicsEnvironment.isHeadless()) {
        robot.clickOn("#callShareScreen");
        waitFor(() -> text("#callVideoNote").equals("No screen to share: there is no display"));
        assertThat(text("#callShareScreen")).isEqualTo("Share screen");
        assertThat(text("#callCamera")).isEqualTo("Camera off");
      } else {
        robot.clickOn("#callShareScreen");
        waitFor(() -> text("#callShareScreen").equals("Stop sharing"));
        assertThat(text("#callCamera")).isEqualTo("Camera on");
      }

      // The window grew from an audio call's to a video call's with a note: its buttons are still on the screen.
      Bounds hangUp = fx(() -> robot.lookup("#callHangUp").query().localToScreen(robot.lookup("#callHangUp")
          .query().getBoundsInLocal()));
      Rectangle2D screen = fx(() -> Screen.getPrimary().getVisualBounds());
      assertThat(hangUp.getMaxY()).as("the hang-up button's bottom on a screen %s", screen)
          .isLessThanOrEqualTo(screen.getMaxY());
      robot.clickOn("#callHangUp");
      waitFor(() -> text("#callStatus").startsWith("Call ended"));
      waitFor(() -> bob.states.stream().anyMatch(c -> c.callId().equals(callId) && c.state() == CallState.ENDED));
    } finally {
      bobSendsVideo = true;
    }
  }

  private Image image(String query) {
    // From the call window's scene: a lookup finds nothing once the window is hidden.
    return fx(() -> ((ImageView) app.window().callScene().lookup(query)).getImage());
  }

  /** The pattern's bars at a quarter of the picture's height, each bar's colour at its middle. */
  private boolean showsBars(String query) {
    return fx(() -> {
      Image image = ((ImageView) robot.lookup(query).query()).getImage();
      if (image == null) {
        return false;
      }
      int w = (int) image.getWidth();
      int y = (int) image.getHeight() / 4;
      for (int bar = 0; bar < BARS.length; bar++) {
        int argb = image.getPixelReader().getArgb((2 * bar + 1) * w / 14, y);
        int[] rgb = {argb >> 16 & 0xff, argb >> 8 & 0xff, argb & 0xff};
        for (int c = 0; c < 3; c++) {
          if (BARS[bar][c] == 1 ? rgb[c] < 180 : rgb[c] > 70) {
            return false;
          }
        }
      }
      return true;
    });
  }

  private String text(String query) {
    return Ui.text(robot, query);
  }
}
