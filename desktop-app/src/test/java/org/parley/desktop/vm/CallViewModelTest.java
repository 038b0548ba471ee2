package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallEndReason;
import org.parley.client.api.calls.CallState;
import org.parley.client.api.calls.CallStats;
import org.parley.client.api.calls.CandidateType;
import org.parley.desktop.settings.SettingsStore;
import org.parley.desktop.vm.CallViewModel.Phase;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * The call ViewModel without JavaFX, against the real signaling server with its embedded STUN/TURN on loopback,
 * real client-core and real libwebrtc on both sides; the other side ("Bob") is a plain client-core user. Sound is
 * the silent fallback the app uses on a machine without sound devices.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallViewModelTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().turn().build();

  private ParleyClient me;
  private CallPeer bob;
  private final String myNumber = Users.newNumber();
  private final VmHarness h = new VmHarness();
  private MainViewModel main;
  private CallViewModel vm;

  @BeforeAll
  void start() throws Exception {
    var dir = Files.createTempDirectory("parley-call-vm");
    me = parley.register(myNumber, dir).client();
    bob = new CallPeer(parley);
    bob.client.connect();
    SettingsStore store = SettingsStore.open(dir);
    store.setContactName(bob.number, "Bob Builder");
    main = h.onUi(() -> new MainViewModel(me, store, h.tasks, h.clock, h.zone, h.timer, (t, b, o) -> { },
        CallAudio.silent("no sound device in this test")));
    vm = main.calls;
    h.onUi(main::start);
    await().until(() -> h.onUi(main.connection::get).isEmpty());
    h.onUi(() -> main.open(bob.number, Optional.empty()));
  }

  @AfterEach
  void idle() {
    // Each test ends with the call window gone, as a person would see it.
    await().until(() -> h.onUi(vm.phase::get) == Phase.IDLE);
    await().until(() -> bob.client.calls().activeCall().isEmpty());
  }

  @AfterAll
  void stop() {
    h.onUi(main::stop);
    h.close();
    me.close();
    bob.close();
  }

  private List<ConversationRow.CallEntry> callRows() {
    return h.onUi(() -> main.current.get().orElseThrow().rows.snapshot().stream()
        .filter(r -> r instanceof ConversationRow.CallEntry).map(r -> (ConversationRow.CallEntry) r).toList());
  }

  @Test
  void placedCallRingsConnectsShowsTimerAndQualityAndEndsAsAnOutgoingEntry() {
    bob.answerWith(CallPeer::silentAudio);
    int before = callRows().size();
    h.onUi(() -> vm.call(bob.number));
    assertThat(h.onUi(vm.peerName::get)).isEqualTo("Bob Builder");
    assertThat(h.onUi(vm.phase::get)).isIn(Phase.OUTGOING, Phase.CONNECTING, Phase.CONNECTED);

    await().until(() -> h.onUi(vm.phase::get) == Phase.CONNECTED);
    assertThat(h.onUi(vm.status::get)).isEqualTo("Connected");
    assertThat(h.onUi(vm.audioNote::get)).contains("No sound on this computer", "no sound device in this test");
    // The timer runs and the statistics arrive about once a second.
    await().until(() -> !h.onUi(vm.elapsed::get).equals("0:00"));
    assertThat(h.onUi(vm.elapsed::get)).matches("0:0[1-9]");
    await().until(() -> h.onUi(vm.quality::get) != CallViewModel.Quality.UNKNOWN);
    assertThat(h.onUi(vm.quality::get)).isEqualTo(CallViewModel.Quality.GOOD); // loopback
    assertThat(h.onUi(vm.qualityDetails::get)).contains("Round trip", "loss", "jitter", "audio/opus");

    h.onUi(vm::toggleMute);
    await().until(() -> h.onUi(vm.muted::get));
    assertThat(me.calls().activeCall().orElseThrow().muted()).isTrue();

    h.onUi(vm::hangUp);
    await().until(() -> h.onUi(vm.phase::get) == Phase.ENDED);
    assertThat(h.onUi(vm.status::get)).startsWith("Call ended · 0:0");
    await().until(() -> bob.states.stream().anyMatch(c -> c.state() == CallState.ENDED
        && c.endReason().orElseThrow() == CallEndReason.REMOTE_HANGUP));

    // The entry shows in the open conversation as soon as the call ends, and stays after reopening it.
    await().until(() -> callRows().size() == before + 1);
    ConversationRow.CallEntry entry = callRows().get(before);
    assertThat(entry.kind()).isEqualTo("outgoing");
    assertThat(entry.text()).startsWith("Outgoing call (0:0");
    h.onUi(() -> main.current.get().orElseThrow().close());
    h.onUi(() -> main.current.set(Optional.empty()));
    h.onUi(() -> main.open(bob.number, Optional.empty()));
    await().until(() -> callRows().size() == before + 1);
    bob.letRing();
  }

  @Test
  void anIncomingCallRingsAndIsDeclined() throws Exception {
    int before = callRows().size();
    Call placed = bob.client.calls().placeCall(myNumber, CallPeer.silentAudio());
    await().until(() -> h.onUi(vm.phase::get) == Phase.INCOMING);
    assertThat(h.onUi(vm.peerName::get)).isEqualTo("Bob Builder");
    assertThat(h.onUi(vm.peerNumber::get)).isEqualTo(bob.number);
    assertThat(h.onUi(vm.status::get)).isEqualTo("Incoming call");
    await().until(() -> !h.onUi(vm.audioNote::get).isEmpty());

    h.onUi(vm::decline);
    await().until(() -> h.onUi(vm.phase::get) == Phase.ENDED);
    assertThat(h.onUi(vm.status::get)).isEqualTo("You declined");
    await().until(() -> bob.states.stream().anyMatch(c -> c.callId().equals(placed.callId())
        && c.state() == CallState.ENDED && c.endReason().orElseThrow() == CallEndReason.DECLINED));
    await().until(() -> callRows().size() == before + 1);
    assertThat(callRows().get(before).kind()).isEqualTo("declined");
  }

  @Test
  void aCallTheCallerGivesUpOnIsMissed() throws Exception {
    int before = callRows().size();
    Call placed = bob.client.calls().placeCall(myNumber, CallPeer.silentAudio());
    await().until(() -> h.onUi(vm.phase::get) == Phase.INCOMING);
    bob.client.calls().hangup(placed.callId());
    await().until(() -> h.onUi(vm.phase::get) == Phase.ENDED);
    assertThat(h.onUi(vm.status::get)).isEqualTo("Missed call");
    await().until(() -> callRows().size() == before + 1);
    ConversationRow.CallEntry entry = callRows().get(before);
    assertThat(entry.kind()).isEqualTo("missed");
    assertThat(entry.text()).isEqualTo("Missed call");
    // The chat list shows it as the chat's last message.
    h.onUi(main.chatList::refresh);
    await().until(() -> h.onUi(() -> main.chatList.chats.get().stream()
        .anyMatch(c -> c.number().equals(bob.number) && c.preview().equals("Missed call"))));
  }

  @Test
  void callingSomeoneWhoIsNotOnParleyEndsWithTheServersAnswer() {
    h.onUi(() -> vm.call("+15559999999"));
    await().until(() -> h.onUi(vm.phase::get) == Phase.ENDED);
    assertThat(h.onUi(vm.status::get)).startsWith("Call failed: ");
    assertThat(h.onUi(vm.error::get)).isNotBlank();
    await().until(() -> h.onUi(vm.phase::get) == Phase.IDLE);
    assertThat(h.onUi(() -> main.current.get().orElseThrow().number)).isEqualTo(bob.number);
  }

  @Test
  void callingSomeoneWhoseDevicesAreOfflineEndsAtOnceAsNotReachable() throws Exception {
    String carolNumber = Users.newNumber();
    parley.register(carolNumber).client().close(); // registered, never online
    h.onUi(() -> main.open(carolNumber, Optional.empty()));
    h.onUi(() -> vm.call(carolNumber));
    await().until(() -> h.onUi(vm.phase::get) == Phase.ENDED);
    assertThat(h.onUi(vm.status::get)).isEqualTo("Not reachable — they will see a missed call");
    await().until(() -> callRows().size() == 1);
    assertThat(callRows().get(0).text()).isEqualTo("Call not answered: not reachable");
    assertThat(callRows().get(0).kind()).isEqualTo("outgoing");
    await().until(() -> h.onUi(vm.phase::get) == Phase.IDLE);
    h.onUi(() -> main.open(bob.number, Optional.empty()));
  }

  @Test
  void qualityComesFromRoundTripLossAndJitter() {
    assertThat(CallViewModel.Quality.of(stats(30, 0.0, 5, 200))).isEqualTo(CallViewModel.Quality.GOOD);
    assertThat(CallViewModel.Quality.of(stats(250, 0.0, 5, 200))).isEqualTo(CallViewModel.Quality.FAIR);
    assertThat(CallViewModel.Quality.of(stats(30, 0.02, 5, 200))).isEqualTo(CallViewModel.Quality.FAIR);
    assertThat(CallViewModel.Quality.of(stats(30, 0.0, 45, 200))).isEqualTo(CallViewModel.Quality.FAIR);
    assertThat(CallViewModel.Quality.of(stats(500, 0.0, 5, 200))).isEqualTo(CallViewModel.Quality.POOR);
    assertThat(CallViewModel.Quality.of(stats(30, 0.08, 5, 200))).isEqualTo(CallViewModel.Quality.POOR);
    assertThat(CallViewModel.Quality.of(stats(30, 0.0, 80, 200))).isEqualTo(CallViewModel.Quality.POOR);
    assertThat(CallViewModel.Quality.of(stats(0, 0.0, 0, 0))).isEqualTo(CallViewModel.Quality.UNKNOWN);
    assertThat(CallViewModel.details(stats(23, 0.015, 4, 200)))
        .contains("Round trip 23 ms", "loss 1.5 %", "jitter 4 ms", "direct (host)");
    assertThat(CallViewModel.duration(Duration.ofSeconds(65))).isEqualTo("1:05");
    assertThat(CallViewModel.duration(Duration.ofSeconds(3723))).isEqualTo("1:02:03");
  }

  private static CallStats stats(long rttMs, double loss, long jitterMs, long received) {
    return new CallStats(Duration.ofMillis(rttMs), loss, Duration.ofMillis(jitterMs),
        20_000, 20_000, received, received, 0, "audio/opus 48000", "", CandidateType.HOST,
        CandidateType.HOST, "127.0.0.1:1", "127.0.0.1:2");
  }
}
