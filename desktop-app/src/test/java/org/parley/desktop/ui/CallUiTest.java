package org.parley.desktop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.desktop.ui.Ui.fx;
import static org.parley.desktop.ui.Ui.startChat;
import static org.parley.desktop.ui.Ui.waitFor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
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
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;
import org.testfx.api.FxRobot;

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

  private CallPeer bob;
  private AppUnderTest app;
  private final FxRobot robot = new FxRobot();

  @BeforeAll
  void start() throws Exception {
    // Bob lets it ring for a moment before answering, as a person would.
    bob = CallPeer.register(parley, CallOptions.of(AudioIo.silent()), Duration.ofMillis(1500));
    app = AppUnderTest.register(parley, Users.newNumber()).open(Map.of("PARLEY_AUDIO", "none"));
    app.main();
  }

  @AfterAll
  void stop() throws Exception {
    app.close();
    bob.close();
  }

  @Test
  @Order(1)
  void callingFromTheConversationHeaderConnectsRunsTheTimerAndLeavesACallEntry() throws Exception {
    startChat(robot, bob.number);

    robot.clickOn("#callButton");
    waitFor(() -> visible("#callStatus"));
    // Bob lets it ring before answering.
    waitFor(() -> text("#callStatus").equals("Ringing…"));
    assertThat(text("#callPeer")).isEqualTo(bob.number);
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
    waitFor(() -> bob.ended(CallEndReason.REMOTE_HANGUP));
    // The window goes after a moment; the entry stays in the conversation.
    waitFor(() -> !visible("#callStatus"));
    waitFor(() -> callEntries().stream().anyMatch(t -> t.startsWith("\u260E  Outgoing call (0:0")));
  }

  @Test
  @Order(2)
  void anIncomingCallShowsTheCallerAndCanBeDeclined() throws Exception {
    bob.client.calls().placeCall(app.number, CallOptions.of(AudioIo.silent()));
    waitFor(() -> visible("#incomingCaller"));
    assertThat(text("#incomingCaller")).isEqualTo(bob.number);
    robot.clickOn("#incomingDecline");
    waitFor(() -> bob.ended(CallEndReason.DECLINED));
    waitFor(() -> !visible("#incomingCaller"));
    waitFor(() -> callEntries().stream().anyMatch(t -> t.startsWith("\u260E  Declined call")));
  }

  private List<String> callEntries() {
    return fx(() -> robot.lookup(".call-entry").queryAllAs(Label.class).stream().map(Label::getText).toList());
  }

  private boolean visible(String query) {
    return Ui.visible(robot, query);
  }

  private String text(String query) {
    return Ui.text(robot, query);
  }
}
