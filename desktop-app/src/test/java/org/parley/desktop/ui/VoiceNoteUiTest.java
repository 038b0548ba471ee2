package org.parley.desktop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.desktop.ui.Ui.fx;
import static org.parley.desktop.ui.Ui.waitFor;

import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.MouseButton;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ParleyClient;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Tones;
import org.parley.testing.Users;
import org.testfx.api.FxRobot;

/**
 * The real UI, headless (Monocle), with the app's real Java Sound devices on a machine without sound: a voice note
 * from a real client-core user shows as a voice bubble with its duration and waveform; Play says there is no
 * speaker (and nothing breaks); a click on the waveform seeks; the speed button cycles; the microphone button,
 * clicked or held, says there is no microphone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VoiceNoteUiTest {

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
    app.open(Map.of());
  }

  @AfterAll
  void stop() throws Exception {
    app.close();
    bob.close();
  }

  @Test
  void aReceivedVoiceNoteShowsSeeksAndSaysThereIsNoSpeakerAndTheMicrophoneSaysThereIsNone() throws Exception {
    bob.sendVoiceNote(app.number,
        Tones.write(Files.createTempDirectory("bob").resolve("hello.wav"), 500, 16_000, 2.4));
    app.main();
    waitFor(() -> chatCell(bobNumber).isPresent());
    robot.clickOn(chatCell(bobNumber).orElseThrow());
    waitFor(() -> robot.lookup("#voicePlay").tryQuery().isPresent());
    assertThat(text("#voiceTime")).isEqualTo("0:02");
    assertThat(fx(() -> robot.lookup(".voice-bar").queryAll().size())).isEqualTo(48);
    assertThat(played()).isZero();
    // The waveform came from Bob's pointer: a steady tone is a row of tall bars.
    assertThat(fx(() -> robot.lookup(".voice-bar").queryAll().stream()
        .filter(b -> b.getLayoutBounds().getHeight() > 20).count())).isGreaterThan(40);
    assertThat(text("#voiceSpeed")).isEqualTo("1×");

    // No sound card here: the real Java Sound has no output line; the bubble says so and the app carries on.
    robot.clickOn("#voicePlay");
    waitFor(() -> robot.lookup("#voicePlayerNotice").tryQuery().map(Node::isVisible).orElse(false));
    assertThat(text("#voicePlayerNotice"))
        .isEqualTo("No speaker or headphones found: voice notes cannot be played here");

    // A click at three quarters of the waveform seeks there.
    Node wave = robot.lookup("#voiceWave").query();
    Bounds b = fx(() -> wave.localToScreen(wave.getBoundsInLocal()));
    robot.clickOn(new Point2D(b.getMinX() + b.getWidth() * 0.75, b.getCenterY()), MouseButton.PRIMARY);
    waitFor(() -> played() == 36);
    assertThat(text("#voiceTime")).isEqualTo("0:01 / 0:02");

    robot.clickOn("#voiceSpeed");
    assertThat(text("#voiceSpeed")).isEqualTo("1.5×");
    robot.clickOn("#voiceSpeed");
    assertThat(text("#voiceSpeed")).isEqualTo("2×");

    // The microphone: a click (hands-free) and a hold both end with the reason, and no strip is left open.
    robot.clickOn("#micButton");
    waitFor(() -> robot.lookup("#voiceNotice").tryQuery().map(Node::isVisible).orElse(false));
    assertThat(text("#voiceNotice")).isEqualTo("No microphone found: connect one to record voice notes");
    waitFor(() -> !fx(() -> robot.lookup("#recordingStrip").query().isVisible()));
    robot.moveTo("#micButton").press(MouseButton.PRIMARY);
    Thread.sleep(600);
    robot.release(MouseButton.PRIMARY);
    waitFor(() -> !fx(() -> robot.lookup("#recordingStrip").query().isVisible()));
    assertThat(text("#voiceNotice")).isEqualTo("No microphone found: connect one to record voice notes");
    // Text still goes out as before.
    robot.clickOn("#composer").write("still here");
    robot.clickOn("#sendButton");
    waitFor(() -> bob.history(app.number, 10).stream().anyMatch(m -> m.text().equals("still here")));
  }

  private long played() {
    return fx(() -> robot.lookup(".voice-bar-played").queryAll().size());
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
