package org.parley.desktop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.desktop.ui.Ui.fx;
import static org.parley.desktop.ui.Ui.waitFor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
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
import org.parley.client.api.ParleyClient;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallEndReason;
import org.parley.client.api.calls.CallListener;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallState;
import org.parley.desktop.AppContext;
import org.parley.desktop.LaunchOptions;
import org.parley.desktop.view.AppWindow;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * Calls through the real UI, headless (Monocle): the app calls a client-core user ("Bob") who answers, sees
 * "Connected" and the timer run, hangs up and finds the call entry in the conversation; then Bob calls and the
 * incoming-call window is declined. Real server with its embedded STUN/TURN, real client-core and libwebrtc on both
 * sides; sound is turned off ({@code PARLEY_AUDIO=none}), as on a machine without sound devices.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallUiTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().turn().build();

  private ParleyClient bob;
  private final String alice = Users.newNumber();
  private final String bobNumber = Users.newNumber();
  private final List<Call> bobStates = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService bobLater = Executors.newSingleThreadScheduledExecutor();
  private volatile boolean bobAnswers = true;
  private AppContext context;
  private AppWindow window;
  private final FxRobot robot = new FxRobot();

  @BeforeAll
  void start() throws Exception {
    bob = parley.register(bobNumber).client();
    bob.calls().addListener(new CallListener() {
      @Override
      public void incomingCall(Call call) {
        if (bobAnswers) {
          // Let it ring for a moment, as a person would.
          bobLater.schedule(() -> {
            try {
              bob.calls().answer(call.callId(), CallOptions.of(AudioIo.silent()));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }, 1500, TimeUnit.MILLISECONDS);
        }
      }

      @Override
      public void stateChanged(Call call) {
        bobStates.add(call);
      }
    });
    bob.connect();
    Path dir = Files.createTempDirectory("parley-desktop-calls");
    parley.register(alice, dir).client().close();
    LaunchOptions options = new LaunchOptions(dir, parley.url(), Optional.empty());
    context = AppContext.create(options, Platform::runLater, Map.of("PARLEY_AUDIO", "none"));
    Stage stage = FxToolkit.registerPrimaryStage();
    FxToolkit.setupFixture(() -> window = AppWindow.open(stage, context));
    window.mainShown().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    FxToolkit.setupFixture(() -> window.stage().hide());
    context.close();
    bobLater.shutdownNow();
    bob.close();
  }

  @Test
  @Order(1)
  void callingFromTheConversationHeaderConnectsRunsTheTimerAndLeavesACallEntry() throws Exception {
    robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
    waitFor(() -> robot.lookup("#newChatNumber").tryQuery().isPresent());
    robot.clickOn("#newChatNumber").write(bobNumber.substring(2));
    robot.clickOn("#newChatStart");
    waitFor(() -> text("#conversationTitle").equals(bobNumber));

    robot.clickOn("#callButton");
    waitFor(() -> visible("#callStatus"));
    // Bob lets it ring before answering.
    waitFor(() -> text("#callStatus").equals("Ringing…"));
    assertThat(text("#callPeer")).isEqualTo(bobNumber);
    assertThat(text("#callHangUp")).isEqualTo("Cancel");

    waitFor(() -> text("#callStatus").equals("Connected"));
    waitFor(() -> visible("#callTimer") && text("#callTimer").matches("0:0[1-9]"));
    waitFor(() -> text("#callQuality").contains("Good"));
    // The numbers behind "Good" are in the label's tooltip (shown on hover).
    waitFor(() -> fx(() -> ((Label) robot.lookup("#callQuality").query()).getTooltip().getText())
        .contains("Round trip"));
    assertThat(text("#callAudioNote")).contains("No sound on this computer", "PARLEY_AUDIO=none");
    assertThat(visible("#callAudioNote")).isTrue();

    robot.clickOn("#callMute");
    waitFor(() -> text("#callMute").equals("Unmute"));

    robot.clickOn("#callHangUp");
    waitFor(() -> text("#callStatus").startsWith("Call ended · 0:0"));
    waitFor(() -> bobStates.stream().anyMatch(c -> c.state() == CallState.ENDED
        && c.endReason().orElseThrow() == CallEndReason.REMOTE_HANGUP));
    // The window goes after a moment; the entry stays in the conversation.
    waitFor(() -> !visible("#callStatus"));
    waitFor(() -> callEntries().stream().anyMatch(t -> t.startsWith("\u260E  Outgoing call (0:0")));
  }

  @Test
  @Order(2)
  void anIncomingCallShowsTheCallerAndCanBeDeclined() throws Exception {
    bob.calls().placeCall(alice, CallOptions.of(AudioIo.silent()));
    waitFor(() -> visible("#incomingCaller"));
    assertThat(text("#incomingCaller")).isEqualTo(bobNumber);
    robot.clickOn("#incomingDecline");
    waitFor(() -> bobStates.stream().anyMatch(c -> c.state() == CallState.ENDED
        && c.endReason().orElseThrow() == CallEndReason.DECLINED));
    waitFor(() -> !visible("#incomingCaller"));
    waitFor(() -> callEntries().stream().anyMatch(t -> t.startsWith("\u260E  Declined call")));
  }

  private List<String> callEntries() {
    return fx(() -> robot.lookup(".call-entry").queryAllAs(Label.class).stream().map(Label::getText).toList());
  }

  private boolean visible(String query) {
    return fx(() -> robot.lookup(query).tryQuery().map(n -> n.isVisible() && n.getScene() != null
        && n.getScene().getWindow() != null && n.getScene().getWindow().isShowing()).orElse(false));
  }

  private String text(String query) {
    return Ui.text(robot, query);
  }
}
