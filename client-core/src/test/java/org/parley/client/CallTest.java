package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallEndReason;
import org.parley.client.api.calls.CallListener;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallState;
import org.parley.client.api.calls.CallStats;
import org.parley.client.api.calls.CandidateType;
import org.parley.client.support.LocalServer;
import org.parley.client.support.Tones;
import org.parley.client.support.Users;

/**
 * Calls between real clients through the real signaling server and its embedded parley-turn on loopback, with
 * real libwebrtc (ICE, DTLS-SRTP, Opus) and headless WAV audio.
 */
class CallTest {

  static final Duration WAIT = Duration.ofSeconds(20);
  static LocalServer server;
  static Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = LocalServer.start(Map.of("PARLEY_TURN_EMBEDDED", "true", "PARLEY_TURN_LISTENING_PORT", "0",
        "PARLEY_TURN_ALLOW_LOOPBACK_PEERS", "true"));
    dir = Files.createTempDirectory("parley-calls");
  }

  @AfterAll
  static void stopServer() {
    server.close();
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
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path tone440 = Tones.write(dir.resolve("440.wav"), 440, 16000, 10);
    Path tone1000 = Tones.write(dir.resolve("1000.wav"), 1000, 16000, 10);
    Path aliceHeard = dir.resolve("alice-heard.wav");
    Path bobHeard = dir.resolve("bob-heard.wav");
    try (ParleyClient a = Users.register(server, alice); ParleyClient b = Users.register(server, bob)) {
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
}
