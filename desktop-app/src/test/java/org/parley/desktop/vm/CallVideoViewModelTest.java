package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.VideoSource;
import org.parley.client.api.calls.VideoStats;
import org.parley.client.internal.calls.DefaultCallManager;
import org.parley.client.internal.calls.TestPattern;
import org.parley.desktop.vm.CallViewModel.Phase;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * Video in the call ViewModel without JavaFX: real server with STUN/TURN on loopback, real client-core and
 * libwebrtc on both sides. Our "camera" is client-core's test pattern ({@link CallCamera#pattern()}, what
 * {@code PARLEY_VIDEO_SOURCE=pattern} picks); Bob is a plain client-core user who answers with his own pattern.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallVideoViewModelTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().turn().build();

  private ParleyClient me;
  private CallPeer bob;
  private final String myNumber = Users.newNumber();
  private final VmHarness h = new VmHarness();
  /** The pattern id of each frame Bob decodes (-1 where none can be read). */
  private final List<Integer> bobSaw = new CopyOnWriteArrayList<>();
  private CallViewModel vm;
  private CallViewModel noCamera;

  @BeforeAll
  void start() throws Exception {
    me = parley.register(myNumber).client();
    bob = new CallPeer(parley);
    bob.answerWith(CallVideoViewModelTest::silentWithVideo);
    bob.client.calls().addVideoListener((callId, frame) -> bobSaw.add(TestPattern.read(frame.width(), frame.height(),
        frame.y(), frame.strideY()).map(TestPattern.Marker::id).orElse(-1)));
    bob.client.connect();
    me.connect();
    await().until(() -> me.awaitQueueDrained(Duration.ofMillis(10))
        && bob.client.awaitQueueDrained(Duration.ofMillis(10)));
    CallAudio silent = CallAudio.silent("no sound device in this test");
    vm = new CallViewModel(me, silent, CallCamera.pattern(), UnaryOperator.identity(), h.tasks, h.clock, h.timer);
    // The same client, as a machine without a camera would show it (only one of the two is started at a time).
    noCamera = new CallViewModel(me, silent, CallCamera.none("No camera found"), UnaryOperator.identity(), h.tasks,
        h.clock, h.timer);
  }

  @AfterEach
  void idle() {
    await().until(() -> me.calls().activeCall().isEmpty() && bob.client.calls().activeCall().isEmpty());
  }

  /** Bob's answer with video: his own pattern, id 2. */
  private static CallOptions silentWithVideo() {
    return CallPeer.silentAudio().withVideo(VideoSource.pattern(2));
  }

  @AfterAll
  void stop() {
    h.close();
    me.close();
    bob.close();
  }

  @Test
  void aVideoCallShowsBothVideosAndTheirNumbersAndTheCameraTurnsOffAndOn() {
    h.onUi(vm::start);
    try {
      h.onUi(() -> vm.videoCall(bob.number));
      assertThat(h.onUi(vm.video::get)).isTrue();
      await().until(() -> h.onUi(vm.phase::get) == Phase.CONNECTED);
      await().until(() -> h.onUi(vm.localVideo::get) && h.onUi(vm.remoteVideo::get));
      assertThat(h.onUi(vm.videoNote::get)).isEmpty();
      // Bob's pattern at its size, with frame rate, bitrate and loss.
      await().atMost(Duration.ofSeconds(20)).until(() -> h.onUi(vm.videoQuality::get).startsWith("640×480"));
      assertThat(h.onUi(vm.videoQuality::get)).matches("640×480 · \\d+ fps · \\d+\\.\\d\\d Mbit/s · loss \\d+\\.\\d %");

      h.onUi(vm::toggleCamera);
      await().until(() -> !h.onUi(vm.localVideo::get));
      assertThat(me.calls().activeCall().orElseThrow().media().localVideo()).isFalse();
      await().until(() -> bob.states.stream().anyMatch(c -> !c.media().remoteVideo() && c.media().localVideo()));
      assertThat(h.onUi(vm.remoteVideo::get)).isTrue();
      assertThat(h.onUi(vm.video::get)).isTrue();

      h.onUi(vm::toggleCamera);
      await().until(() -> h.onUi(vm.localVideo::get));
      assertThat(me.calls().activeCall().orElseThrow().media().localVideo()).isTrue();

      h.onUi(vm::hangUp);
      await().until(() -> h.onUi(vm.phase::get) == Phase.ENDED);
      assertThat(h.onUi(vm.localVideo::get)).isFalse();
      assertThat(h.onUi(vm.remoteVideo::get)).isFalse();
    } finally {
      h.onUi(vm::stop);
    }
  }

  @Test
  void anAudioCallBecomesVideoWithTheCameraThenSwitchesCameraAndSharesTheScreen() throws Exception {
    // The "screen" is a pattern with id 9: this machine has no display to capture (the CLI test shares a real one).
    CallViewModel sharing = new CallViewModel(me, CallAudio.silent("no sound device in this test"),
        CallCamera.pattern(VideoSource.pattern(9)), UnaryOperator.identity(), h.tasks, h.clock, h.timer);
    bob.answerWith(CallPeer::silentAudio);
    h.onUi(sharing::start);
    try {
      h.onUi(() -> sharing.call(bob.number));
      await().until(() -> h.onUi(sharing.phase::get) == Phase.CONNECTED);
      assertThat(h.onUi(sharing.video::get)).isFalse();
      assertThat(h.onUi(sharing.canSwitchCamera::get)).as("two pattern cameras").isTrue();

      // Camera on in an audio call: renegotiated, a video call on both sides, Bob gets camera 1 (id 7).
      h.onUi(sharing::toggleCamera);
      await().until(() -> h.onUi(sharing.localVideo::get) && h.onUi(sharing.video::get));
      await().until(() -> bob.states.stream().anyMatch(c -> c.media().remoteVideo()));
      await().until(() -> seen(7) > 10);
      String offer = origin(me);

      // The other camera (id 8): the same negotiation.
      int from = bobSaw.size();
      h.onUi(sharing::switchCamera);
      await().until(() -> seen(from, 8) > 10);
      assertThat(origin(me)).isEqualTo(offer);
      assertThat(h.onUi(sharing::cameraOn)).isTrue();

      // The screen instead (id 9), and back to the camera chosen last.
      int sharedFrom = bobSaw.size();
      h.onUi(sharing::toggleScreenShare);
      await().until(() -> h.onUi(sharing.sharingScreen::get));
      await().until(() -> seen(sharedFrom, 9) > 10);
      assertThat(h.onUi(sharing::cameraOn)).isFalse();
      int backFrom = bobSaw.size();
      h.onUi(sharing::toggleScreenShare);
      await().until(() -> !h.onUi(sharing.sharingScreen::get));
      await().until(() -> seen(backFrom, 8) > 10);
      assertThat(origin(me)).isEqualTo(offer);

      h.onUi(sharing::hangUp);
      await().until(() -> h.onUi(sharing.phase::get) == Phase.ENDED);
    } finally {
      bob.answerWith(CallVideoViewModelTest::silentWithVideo);
      h.onUi(sharing::stop);
    }
  }

  private long seen(int id) {
    return seen(0, id);
  }

  private long seen(int from, int id) {
    return bobSaw.subList(from, bobSaw.size()).stream().filter(i -> i == id).count();
  }

  /** The o= line of our current local description: it changes with every offer or answer we make. */
  private static String origin(ParleyClient client) throws Exception {
    DefaultCallManager calls = (DefaultCallManager) client.calls();
    String sdp = calls.descriptions(client.calls().activeCall().orElseThrow().callId())[0];
    return sdp.lines().filter(l -> l.startsWith("o=")).findFirst().orElseThrow();
  }

  @Test
  void anIncomingVideoCallSaysSoAndIsAnsweredWithTheCamera() throws Exception {
    h.onUi(vm::start);
    try {
      Call placed = bob.client.calls().placeCall(myNumber, silentWithVideo());
      await().until(() -> h.onUi(vm.phase::get) == Phase.INCOMING);
      assertThat(h.onUi(vm.status::get)).isEqualTo("Incoming video call");
      assertThat(h.onUi(vm.video::get)).isTrue();
      h.onUi(vm::accept);
      await().until(() -> h.onUi(vm.phase::get) == Phase.CONNECTED);
      await().until(() -> h.onUi(vm.localVideo::get) && h.onUi(vm.remoteVideo::get));
      bob.client.calls().hangup(placed.callId());
      await().until(() -> h.onUi(vm.phase::get) == Phase.ENDED);
    } finally {
      h.onUi(vm::stop);
    }
  }

  @Test
  void withoutACameraAVideoCallCarriesAudioAndSaysWhy() {
    h.onUi(noCamera::start);
    try {
      h.onUi(() -> noCamera.videoCall(bob.number));
      await().until(() -> h.onUi(noCamera.phase::get) == Phase.CONNECTED);
      assertThat(h.onUi(noCamera.videoNote::get)).isEqualTo("No camera found");
      // Bob's video still comes; ours stays off, and turning the camera on says why not.
      await().until(() -> h.onUi(noCamera.remoteVideo::get));
      assertThat(h.onUi(noCamera.localVideo::get)).isFalse();
      h.onUi(() -> noCamera.videoNote.set(""));
      h.onUi(noCamera::toggleCamera);
      await().until(() -> h.onUi(noCamera.videoNote::get).equals("No camera found"));
      assertThat(me.calls().activeCall().orElseThrow().media().localVideo()).isFalse();
      h.onUi(noCamera::hangUp);
      await().until(() -> h.onUi(noCamera.phase::get) == Phase.ENDED);
    } finally {
      h.onUi(noCamera::stop);
    }
  }

  @Test
  void theVideoLineSaysWhatArrivesOrWhatWeSend() {
    assertThat(CallViewModel.videoLine(new VideoStats("video/VP8", 640, 480, 30, 320, 240, 29.6, 100, 900_000,
        1_240_000, 0.012, "none"))).isEqualTo("320×240 · 30 fps · 1.24 Mbit/s · loss 1.2 %");
    assertThat(CallViewModel.videoLine(new VideoStats("video/VP8", 640, 480, 30, 0, 0, 0, 0, 900_000, 0, 0,
        "none"))).isEqualTo("Sending 640×480 · 30 fps · 0.90 Mbit/s");
    assertThat(CallViewModel.videoLine(new VideoStats("", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "none"))).isEmpty();
  }
}
