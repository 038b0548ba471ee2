package org.parley.desktop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.parley.desktop.ui.Ui.fx;
import static org.parley.desktop.ui.Ui.waitFor;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.voice.VoiceNoteAudio;
import org.parley.desktop.AccountSetup;
import org.parley.desktop.AppContext;
import org.parley.desktop.LaunchOptions;
import org.parley.desktop.view.AppWindow;
import org.parley.desktop.vm.Microphone;
import org.parley.desktop.vm.Speaker;
import org.parley.desktop.vm.VoiceDevices;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Tones;
import org.parley.testing.Users;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * Recording and playing through the real window (Monocle) with a test audio source in place of the sound card
 * (the app's one seam for devices, {@link AccountSetup#voiceDevices}): holding the microphone button records a
 * 700 Hz tone that Bob receives as a voice note with that tone; a click records hands-free and Escape throws it
 * away; releasing away from the button throws it away too; Bob's note plays to the speaker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VoiceRecordingUiTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private ParleyClient bob;
  private final String alice = Users.newNumber();
  private final String bobNumber = Users.newNumber();
  private final List<Message> bobReceived = new CopyOnWriteArrayList<>();
  private final List<short[]> played = new CopyOnWriteArrayList<>();
  private AppContext context;
  private AppWindow window;
  private final FxRobot robot = new FxRobot();

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("parley-desktop-recording");
    parley.register(alice, dir).client().close();
    bob = parley.register(bobNumber).client();
    bob.addListener(new ParleyListener() {
      @Override
      public void messageReceived(Message message) {
        bobReceived.add(message);
      }
    });
    bob.connect();
    URI server = parley.url();
    AccountSetup setup = new AccountSetup() {
      @Override
      public URI server() {
        return server;
      }

      @Override
      public VoiceDevices voiceDevices(VoiceDevices system) {
        return new VoiceDevices(() -> new ToneCapture(700), rate -> new KeptOutput());
      }
    };
    context = AppContext.create(new LaunchOptions(dir, server, Optional.empty()), setup, Platform::runLater,
        Map.of());
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
  void holdToRecordSendsEscapeAndDraggingAwayCancelAndBobsNotePlays() throws Exception {
    bob.send(alice, "Send me a voice note?");
    window.mainShown().get(30, TimeUnit.SECONDS);
    waitFor(() -> chatCell(bobNumber).isPresent());
    robot.clickOn(chatCell(bobNumber).orElseThrow());
    waitFor(() -> robot.lookup("#micButton").tryQuery().isPresent());

    // Click: hands-free, the strip with its timer; Escape throws it away.
    robot.clickOn("#micButton");
    waitFor(() -> stripShown() && text("#recordingTimer").equals("0:01"));
    robot.type(KeyCode.ESCAPE);
    waitFor(() -> !stripShown());

    // Press, move off the button, release: thrown away as well.
    robot.moveTo("#micButton").press(MouseButton.PRIMARY);
    waitFor(this::stripShown);
    Thread.sleep(500);
    robot.moveTo("#composer");
    robot.release(MouseButton.PRIMARY);
    waitFor(() -> !stripShown());

    // Hold for about two seconds and release on the button: sent.
    robot.moveTo("#micButton").press(MouseButton.PRIMARY);
    waitFor(() -> stripShown() && text("#recordingTimer").equals("0:02"));
    robot.release(MouseButton.PRIMARY);
    waitFor(() -> bobReceived.stream().anyMatch(Message::hasAttachments));
    Thread.sleep(1500);
    List<Message> notes = bobReceived.stream().filter(Message::hasAttachments).toList();
    assertThat(notes).as("only the held recording was sent").hasSize(1);
    var note = notes.get(0).attachments().get(0);
    assertThat(note.voiceNote().orElseThrow().duration().toMillis()).isBetween(2000L, 3500L);
    bob.awaitDownload(note.id(), Duration.ofSeconds(30));
    VoiceNoteAudio audio = bob.decodeVoiceNote(note.id());
    assertThat(dominantHz(audio.samples(), audio.sampleRate())).isCloseTo(700, within(10.0));
    waitFor(() -> fx(() -> robot.lookup("#voicePlay").queryAll().size()) == 1);

    // Bob answers with a note of his own; Play sends it to the speaker.
    Path wav = Tones.write(Files.createTempDirectory("bob").resolve("answer.wav"), 400, 16_000, 1.0);
    bob.sendVoiceNote(alice, wav);
    waitFor(() -> fx(() -> robot.lookup("#voicePlay").queryAll().size()) == 2);
    List<Node> buttons = new ArrayList<>(fx(() -> robot.lookup("#voicePlay").queryAll()));
    Node last = buttons.get(buttons.size() - 1);
    waitFor(() -> !fx(last::isDisabled));
    robot.clickOn(last);
    waitFor(() -> played.stream().mapToInt(p -> p.length).sum() >= 40_000);
  }

  private boolean stripShown() {
    return fx(() -> robot.lookup("#recordingStrip").query().isVisible());
  }

  private Optional<Node> chatCell(String number) {
    return robot.lookup(".chat-cell").queryAll().stream()
        .filter(cell -> cell.lookup(".chat-name") instanceof Label name && number.equals(fx(name::getText)))
        .findFirst();
  }

  private String text(String query) {
    return Ui.text(robot, query);
  }

  /** A tone delivered in real time, as a capture device delivers sound. */
  private static final class ToneCapture implements Microphone.Capture {
    private static final int RATE = 16_000;
    private final double hz;
    private final long started = System.nanoTime();
    private long position;
    private volatile boolean closed;

    ToneCapture(double hz) {
      this.hz = hz;
    }

    @Override
    public int sampleRate() {
      return RATE;
    }

    @Override
    public int read(short[] into) {
      while (!closed) {
        long due = (System.nanoTime() - started) * RATE / 1_000_000_000L;
        int n = (int) Math.min(into.length, due - position);
        if (n > 0) {
          for (int i = 0; i < n; i++) {
            into[i] = (short) (0.5 * Short.MAX_VALUE * Math.sin(2 * Math.PI * hz * (position + i) / RATE));
          }
          position += n;
          return n;
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return -1;
        }
      }
      return -1;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** Keeps what is played, in real time's stead as fast as it comes. */
  private final class KeptOutput implements Speaker.Output {
    @Override
    public void write(short[] samples, int count) {
      played.add(Arrays.copyOf(samples, count));
    }

    @Override
    public void drain() { }

    @Override
    public void close() { }
  }

  /** The frequency with the most power among 50 Hz … 4 kHz (5 Hz steps). */
  private static double dominantHz(short[] pcm, int rate) {
    double[] candidates = new double[791];
    for (int i = 0; i < candidates.length; i++) {
      candidates[i] = 50 + 5 * i;
    }
    return Tones.dominant(pcm, rate, candidates);
  }
}
