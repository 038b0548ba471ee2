package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallEndReason;
import org.parley.client.api.calls.CallException;
import org.parley.client.api.calls.CallListener;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallState;
import org.parley.client.api.calls.CallStats;
import org.parley.client.api.calls.CandidateType;
import org.parley.client.internal.calls.DefaultCallManager;
import org.parley.client.internal.proto.CallMessage;
import org.parley.server.support.TestServer;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Tones;
import org.parley.testing.Users;

/**
 * Calls between real clients through the real signaling server and its embedded parley-turn on loopback, with
 * real libwebrtc (ICE, DTLS-SRTP, Opus) and headless WAV audio.
 */
class CallTest {

  static final Duration WAIT = Duration.ofSeconds(20);
  static Path dir;

  /** One server with its embedded TURN for the class; every test gets two new users, Alice and Bob. */
  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().turn().users(2).build();

  @BeforeAll
  static void audioDirectory() throws Exception {
    dir = Files.createTempDirectory("parley-calls");
  }

  /** Collects call events. */
  static final class Events implements CallListener {
    final List<Call> incoming = new CopyOnWriteArrayList<>();
    final List<Call> states = new CopyOnWriteArrayList<>();

    @Override
    public void incomingCall(Call call) {
      incoming.add(call);
    }

    @Override
    public void stateChanged(Call call) {
      states.add(call);
    }

    boolean reached(String callId, CallState state) {
      return states.stream().anyMatch(c -> c.callId().equals(callId) && c.state() == state);
    }

    Call last(String callId) {
      Call found = null;
      for (Call c : states) {
        if (c.callId().equals(callId)) {
          found = c;
        }
      }
      return found;
    }
  }

  @Test
  void eachSideHearsTheOthersToneOverOpusAt16kHzAnd20kbps() throws Exception {
    String alice = parley.user(0).number();
    String bob = parley.user(1).number();
    Path tone440 = Tones.write(dir.resolve("440.wav"), 440, 16000, 10);
    Path tone1000 = Tones.write(dir.resolve("1000.wav"), 1000, 16000, 10);
    Path aliceHeard = dir.resolve("alice-heard.wav");
    Path bobHeard = dir.resolve("bob-heard.wav");
    try (ParleyClient a = parley.user(0).client(); ParleyClient b = parley.user(1).client()) {
      Events aEvents = new Events();
      Events bEvents = new Events();
      a.calls().addListener(aEvents);
      b.calls().addListener(bEvents);
      a.connect();
      b.connect();
      await().atMost(WAIT).until(() -> b.awaitQueueDrained(Duration.ofMillis(10)) && a.awaitQueueDrained(
          Duration.ofMillis(10)));

      Call call = a.calls().placeCall(bob, CallOptions.of(AudioIo.wav(tone440, aliceHeard)));
      assertThat(call.state()).isEqualTo(CallState.RINGING);
      await().atMost(WAIT).until(() -> bEvents.incoming.size() == 1);
      Call ringing = bEvents.incoming.get(0);
      assertThat(ringing.callId()).isEqualTo(call.callId());
      assertThat(ringing.peerNumber()).isEqualTo(alice);
      b.calls().answer(ringing.callId(), CallOptions.of(AudioIo.wav(tone1000, bobHeard)));
      await().atMost(WAIT).until(() -> aEvents.reached(call.callId(), CallState.CONNECTED)
          && bEvents.reached(call.callId(), CallState.CONNECTED));

      Thread.sleep(4000);
      CallStats stats = a.calls().stats(call.callId());
      assertThat(stats.codec()).startsWith("audio/opus");
      assertThat(stats.codecParameters()).contains("maxplaybackrate=16000", "maxaveragebitrate=20000",
          "useinbandfec=1", "sprop-maxcapturerate=16000");
      assertThat(stats.outboundBitrate()).isBetween(5_000L, 25_000L);
      assertThat(stats.packetsReceived()).isGreaterThan(100);
      assertThat(stats.localCandidate()).isNotEqualTo(CandidateType.UNKNOWN);

      a.calls().hangup(call.callId());
      await().atMost(WAIT).until(() -> bEvents.reached(call.callId(), CallState.ENDED));
      assertThat(aEvents.last(call.callId()).endReason()).contains(CallEndReason.LOCAL_HANGUP);
      assertThat(bEvents.last(call.callId()).endReason()).contains(CallEndReason.REMOTE_HANGUP);
      assertThat(bEvents.last(call.callId()).duration()).isGreaterThan(Duration.ofSeconds(3));

      short[] heardByAlice = Tones.read(aliceHeard);
      short[] heardByBob = Tones.read(bobHeard);
      assertThat(heardByAlice.length).isGreaterThan(16000 * 3);
      assertThat(Tones.dominant(heardByAlice, 16000, 440, 1000)).isEqualTo(1000);
      assertThat(Tones.dominant(heardByBob, 16000, 440, 1000)).isEqualTo(440);

      List<Message> aliceHistory = a.history(bob, 10);
      assertThat(aliceHistory).hasSize(1);
      assertThat(aliceHistory.get(0).call()).isPresent();
      assertThat(aliceHistory.get(0).call().get().endReason()).isEqualTo(CallEndReason.LOCAL_HANGUP);
      assertThat(aliceHistory.get(0).text()).startsWith("Outgoing call (0:0");
      List<Message> bobHistory = b.history(alice, 10);
      assertThat(bobHistory).hasSize(1);
      assertThat(bobHistory.get(0).call().get().duration()).isGreaterThan(Duration.ofSeconds(3));
    }
  }

  /** Two registered, connected clients with call listeners. */
  record Pair(ParleyClient a, ParleyClient b, Events aEvents, Events bEvents, String aNumber, String bNumber)
      implements AutoCloseable {
    @Override
    public void close() {
      a.close();
      b.close();
    }
  }

  /** This test's two users, connected, with call listeners. */
  static Pair pair() throws Exception {
    String aNumber = parley.user(0).number();
    String bNumber = parley.user(1).number();
    ParleyClient a = parley.user(0).client();
    ParleyClient b = parley.user(1).client();
    Events aEvents = new Events();
    Events bEvents = new Events();
    a.calls().addListener(aEvents);
    b.calls().addListener(bEvents);
    a.connect();
    b.connect();
    await().atMost(WAIT).until(() -> a.awaitQueueDrained(Duration.ofMillis(10))
        && b.awaitQueueDrained(Duration.ofMillis(10)));
    return new Pair(a, b, aEvents, bEvents, aNumber, bNumber);
  }

  @Test
  void aCallToSomeoneWithNoOnlineDeviceIsAMissedCallOnBothSidesAndNeverRings() throws Exception {
    String alice = parley.user(0).number();
    String bob = parley.user(1).number();
    Path bobDir = parley.user(1).dataDir();
    try (ParleyClient a = parley.user(0).client()) {
      try (ParleyClient b = parley.user(1).client()) {
        b.connect(); // uploads prekeys, then goes away
        await().atMost(WAIT).until(() -> b.awaitQueueDrained(Duration.ofMillis(10)));
      }
      a.connect();
      await().atMost(WAIT).until(() -> a.awaitQueueDrained(Duration.ofMillis(10)));
      Call call = a.calls().placeCall(bob, CallOptions.of(AudioIo.silent()));
      assertThat(call.state()).isEqualTo(CallState.ENDED);
      assertThat(call.endReason()).contains(CallEndReason.UNAVAILABLE);
      assertThat(a.history(bob, 10)).singleElement().satisfies(m -> {
        assertThat(m.call().get().endReason()).isEqualTo(CallEndReason.UNAVAILABLE);
        assertThat(m.text()).isEqualTo("Call not answered: not reachable");
      });
      assertThat(a.awaitOutboxEmpty(WAIT)).isTrue(); // the stored "missed call" notice is with the server

      try (ParleyClient b = parley.reopen(bobDir)) {
        Events bEvents = new Events();
        b.calls().addListener(bEvents);
        b.connect();
        await().atMost(WAIT).ignoreExceptionsInstanceOf(NotFoundException.class) // no chat until it arrives
            .until(() -> b.history(alice, 10).size() == 1);
        Message missed = b.history(alice, 10).get(0);
        assertThat(missed.direction()).isEqualTo(Message.Direction.INCOMING);
        assertThat(missed.call().get().missed()).isTrue();
        assertThat(missed.text()).isEqualTo("Missed call");
        assertThat(missed.timestamp()).isEqualTo(call.startedAt());
        Thread.sleep(500);
        assertThat(bEvents.incoming).isEmpty();
        assertThat(b.calls().activeCall()).isEmpty();
      }
    }
  }

  @Test
  void aCalleeInAnotherCallAnswersBusyAndACallerHangingUpWhileRingingIsAMissedCall() throws Exception {
    try (Pair p = pair()) {
      String carol = parley.newNumber();
      try (ParleyClient c = parley.register(carol).client()) {
        Events cEvents = new Events();
        c.calls().addListener(cEvents);
        c.connect();
        await().atMost(WAIT).until(() -> c.awaitQueueDrained(Duration.ofMillis(10)));

        Call first = p.a().calls().placeCall(p.bNumber(), CallOptions.of(AudioIo.silent()));
        await().atMost(WAIT).until(() -> p.bEvents().incoming.size() == 1);

        Call second = c.calls().placeCall(p.bNumber(), CallOptions.of(AudioIo.silent()));
        await().atMost(WAIT).until(() -> cEvents.reached(second.callId(), CallState.ENDED));
        assertThat(cEvents.last(second.callId()).endReason()).contains(CallEndReason.BUSY);
        assertThat(c.history(p.bNumber(), 10).get(0).text()).isEqualTo("Call not answered: busy");
        await().atMost(WAIT).ignoreExceptionsInstanceOf(NotFoundException.class)
            .until(() -> p.b().history(carol, 10).size() == 1);
        assertThat(p.b().history(carol, 10).get(0).call().get().missed()).isTrue();
        assertThat(p.bEvents().incoming).hasSize(1); // Carol's call never rang

        p.a().calls().hangup(first.callId());
        await().atMost(WAIT).until(() -> p.bEvents().reached(first.callId(), CallState.ENDED));
        assertThat(p.bEvents().last(first.callId()).endReason()).contains(CallEndReason.CANCELLED);
        assertThat(p.aEvents().last(first.callId()).endReason()).contains(CallEndReason.CANCELLED);
        assertThat(p.a().history(p.bNumber(), 10).get(0).text()).isEqualTo("Cancelled call");
        await().atMost(WAIT).ignoreExceptionsInstanceOf(NotFoundException.class)
            .until(() -> p.b().history(p.aNumber(), 10).size() == 1);
        Message missed = p.b().history(p.aNumber(), 10).get(0);
        assertThat(missed.text()).isEqualTo("Missed call");
        assertThat(missed.call().get().missed()).isTrue();
        assertThat(p.b().contacts().stream().filter(k -> k.number().equals(p.aNumber())).findFirst().orElseThrow()
            .unread()).isEqualTo(1);
      }
    }
  }

  @Test
  void aDeclinedCallEndsOnBothSidesAndIsRecorded() throws Exception {
    try (Pair p = pair()) {
      Call call = p.a().calls().placeCall(p.bNumber(), CallOptions.of(AudioIo.silent()));
      await().atMost(WAIT).until(() -> p.bEvents().incoming.size() == 1);
      assertThatThrownBy(() -> p.b().calls().answer("no-such-call", CallOptions.of(AudioIo.silent())))
          .isInstanceOf(NotFoundException.class);
      p.b().calls().decline(call.callId());
      await().atMost(WAIT).until(() -> p.aEvents().reached(call.callId(), CallState.ENDED));
      assertThat(p.aEvents().last(call.callId()).endReason()).contains(CallEndReason.DECLINED);
      assertThat(p.b().calls().call(call.callId()).get().endReason()).contains(CallEndReason.DECLINED);
      assertThat(p.a().history(p.bNumber(), 10).get(0).text()).isEqualTo("Call declined");
      assertThat(p.b().history(p.aNumber(), 10).get(0).text()).isEqualTo("Declined call");
      assertThat(p.b().history(p.aNumber(), 10).get(0).call().get().missed()).isFalse();
      assertThatThrownBy(() -> p.b().calls().answer(call.callId(), CallOptions.of(AudioIo.silent())))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("not ringing");

      // Answering with audio that cannot start: a clear error here, and the caller stops ringing at once.
      Call second = p.a().calls().placeCall(p.bNumber(), CallOptions.of(AudioIo.silent()));
      await().atMost(WAIT).until(() -> p.bEvents().incoming.size() == 2);
      assertThatThrownBy(() -> p.b().calls().answer(second.callId(),
          CallOptions.of(AudioIo.wav(dir.resolve("missing.wav"), null))))
          .isInstanceOf(CallException.class).hasMessageContaining("missing.wav");
      await().atMost(WAIT).until(() -> p.aEvents().reached(second.callId(), CallState.ENDED));
      assertThat(p.b().calls().call(second.callId()).get().endReason()).contains(CallEndReason.ERROR);
      assertThat(p.b().history(p.aNumber(), 10)).extracting(Message::text).contains("Call failed");
    }
  }

  @Test
  void aRelayOnlyCallGoesThroughTheEmbeddedTurnServer() throws Exception {
    Path tone = Tones.write(dir.resolve("relay-1000.wav"), 1000, 48000, 6);
    Path heard = dir.resolve("relay-heard.wav");
    try (Pair p = pair()) {
      CallOptions relay = CallOptions.of(AudioIo.wav(tone, null)).withRelayOnly(true);
      Call call = p.a().calls().placeCall(p.bNumber(), relay);
      await().atMost(WAIT).until(() -> p.bEvents().incoming.size() == 1);
      p.b().calls().answer(call.callId(), CallOptions.of(AudioIo.wav(null, heard)).withRelayOnly(true));
      await().atMost(WAIT).until(() -> p.aEvents().reached(call.callId(), CallState.CONNECTED));
      Thread.sleep(3000);
      CallStats stats = p.b().calls().stats(call.callId());
      assertThat(stats.localCandidate()).isEqualTo(CandidateType.RELAY);
      assertThat(stats.remoteCandidate()).isEqualTo(CandidateType.RELAY);
      assertThat(stats.packetsReceived()).isGreaterThan(100);
      p.b().calls().hangup(call.callId());
      await().atMost(WAIT).until(() -> p.aEvents().reached(call.callId(), CallState.ENDED));
      assertThat(Tones.dominant(Tones.read(heard), 16000, 440, 1000)).isEqualTo(1000);
    }
  }

  @Test
  void badInputAndExpiredTurnCredentialsGetClearErrors() throws Exception {
    try (Pair p = pair()) {
      assertThatThrownBy(() -> p.a().calls().placeCall("12345", CallOptions.of(AudioIo.silent())))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> p.a().calls().placeCall(p.aNumber(), CallOptions.of(AudioIo.silent())))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("own number");
      assertThatThrownBy(() -> p.a().calls().placeCall("+15559999999", CallOptions.of(AudioIo.silent())))
          .isInstanceOf(NotFoundException.class);
      Path notWav = Files.writeString(dir.resolve("not.wav"), "hello");
      assertThatThrownBy(() -> p.a().calls().placeCall(p.bNumber(), CallOptions.of(AudioIo.wav(notWav, null))))
          .isInstanceOf(CallException.class).hasMessageContaining("not a WAV file");
      assertThat(p.a().calls().activeCall()).isEmpty();
      assertThat(p.bEvents().incoming).isEmpty();
      assertThat(p.a().history(p.bNumber(), 10)).isEmpty(); // nothing was offered, so nothing is recorded
    }
    try (TestServer expiring = TestServer.builder().turn(true).setting("PARLEY_TURN_CREDENTIAL_TTL", "0s")
        .start()) {
      String alice = Users.newNumber();
      String bob = Users.newNumber();
      try (ParleyClient a = Users.register(expiring, alice); ParleyClient b = Users.register(expiring, bob)) {
        a.connect();
        b.connect();
        await().atMost(WAIT).until(() -> a.awaitQueueDrained(Duration.ofMillis(10)));
        assertThatThrownBy(() -> a.calls().placeCall(bob, CallOptions.of(AudioIo.silent())))
            .isInstanceOf(CallException.class)
            .hasMessageContaining("TURN credentials").hasMessageContaining("expired");
        assertThat(a.calls().activeCall()).isEmpty();
      }
    }
  }

  @Test
  void aRingingDeviceStopsWhenTheCallerSaysAnotherDeviceAnsweredOrDeclined() throws Exception {
    // Until device linking exists there is no second device to answer; the caller's notice is handed to the
    // ringing device's call manager as the inbox would (the same path the decrypted message takes).
    try (Pair p = pair()) {
      for (var type : List.of(CallMessage.Hangup.Type.ANSWERED_ELSEWHERE,
          CallMessage.Hangup.Type.DECLINED_ELSEWHERE)) {
        Call call = p.a().calls().placeCall(p.bNumber(), CallOptions.of(AudioIo.silent()));
        await().atMost(WAIT).until(() -> p.bEvents().incoming.stream().anyMatch(c -> c.callId().equals(call.callId())));
        var manager = (DefaultCallManager) p.b().calls();
        var notice = CallMessage.newBuilder().setCallId(call.callId())
            .setStartedAt(call.startedAt()).setHangup(CallMessage.Hangup.newBuilder()
                .setType(type).setDeviceId(p.b().account().deviceId()));
        manager.signal(p.a().account().accountId(), 1, true, notice.build()); // names this device: ignored
        Thread.sleep(300);
        assertThat(p.b().calls().call(call.callId()).get().state()).isEqualTo(CallState.RINGING);
        manager.signal(p.a().account().accountId(), 1, true, notice.setHangup(notice.getHangup().toBuilder()
            .setDeviceId(2)).build());
        await().atMost(WAIT).until(() -> p.bEvents().reached(call.callId(), CallState.ENDED));
        assertThat(p.bEvents().last(call.callId()).endReason()).contains(
            type == CallMessage.Hangup.Type.ANSWERED_ELSEWHERE
                ? CallEndReason.ANSWERED_ELSEWHERE : CallEndReason.DECLINED_ELSEWHERE);
        p.a().calls().hangup(call.callId());
        await().atMost(WAIT).until(() -> p.aEvents().reached(call.callId(), CallState.ENDED));
      }
      assertThat(p.b().history(p.aNumber(), 10)).extracting(Message::text).containsExactly(
          "Call answered on another device", "Call declined on another device");
    }
  }
}
