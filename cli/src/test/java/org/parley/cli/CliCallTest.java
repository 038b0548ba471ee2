package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.internal.calls.TestPattern;
import org.parley.client.internal.calls.Y4m;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Tones;
import org.parley.testing.Users;

/** {@code parley call} and {@code parley answer} against the real server with its embedded TURN, on loopback. */
class CliCallTest {

  static Path dir;

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().turn().build();

  @BeforeAll
  static void audioDirectory() throws Exception {
    dir = Files.createTempDirectory("parley-cli-calls");
  }

  static Path register(String number) throws Exception {
    return Cli.register(parley.server(), number);
  }

  static List<JsonNode> events(Cli.Result result) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : result.lines()) {
      nodes.add(Json.MAPPER.readTree(line));
    }
    return nodes;
  }

  static JsonNode event(List<JsonNode> events, String type) {
    return events.stream().filter(e -> e.get("type").asText().equals(type)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + type + "' event in " + events));
  }

  @Test
  void aCallFromTwoTerminalsConnectsCarriesBothTonesAndReportsTheCandidatePair() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = register(alice);
    Path b = register(bob);
    Path aTone = Tones.write(dir.resolve("a.wav"), 440, 16000, 8);
    Path bTone = Tones.write(dir.resolve("b.wav"), 1000, 48000, 8);
    Path aHeard = dir.resolve("a-heard.wav");
    Path bHeard = dir.resolve("b-heard.wav");

    CompletableFuture<Cli.Result> answering = CompletableFuture.supplyAsync(() -> Cli.run(b, "answer", "--json",
        "--timeout", "30", "--play", bTone.toString(), "--record", bHeard.toString(), "--seconds", "30"));
    Cli.Result called;
    int attempts = 0;
    do {
      // Until the answering process is connected, the call finds nobody online (exit 6, reason unavailable).
      Thread.sleep(500);
      called = Cli.run(a, "call", bob, "--json", "--play", aTone.toString(), "--record", aHeard.toString(),
          "--seconds", "3");
    } while (called.code() == ExitCodes.CALL_NOT_CONNECTED && called.out().contains("unavailable")
        && ++attempts < 20);
    assertThat(called.code()).as(called.out() + called.err()).isZero();
    Cli.Result answered = answering.get(60, TimeUnit.SECONDS);
    assertThat(answered.code()).as(answered.out() + answered.err()).isZero();

    List<JsonNode> callerEvents = events(called);
    assertThat(callerEvents.stream().map(e -> e.get("type").asText()).distinct())
        .containsSubsequence("ringing", "connecting", "connected", "stats", "ended");
    JsonNode connected = event(callerEvents, "connected");
    assertThat(connected.get("connect_ms").asLong()).isPositive();
    assertThat(connected.get("local").asText()).isIn("host", "srflx", "prflx", "relay");
    assertThat(connected.get("remote").asText()).isIn("host", "srflx", "prflx", "relay");
    JsonNode stats = event(callerEvents, "stats");
    assertThat(stats.get("codec").asText()).startsWith("audio/opus");
    assertThat(stats.get("fmtp").asText()).contains("maxaveragebitrate=20000", "maxplaybackrate=16000");
    assertThat(event(callerEvents, "ended").get("reason").asText()).isEqualTo("local_hangup");

    List<JsonNode> calleeEvents = events(answered);
    assertThat(event(calleeEvents, "incoming").get("peer").asText()).isEqualTo(alice);
    assertThat(event(calleeEvents, "ended").get("reason").asText()).isEqualTo("remote_hangup");
    assertThat(event(calleeEvents, "ended").get("duration_s").asDouble()).isGreaterThan(2.0);

    assertThat(Tones.dominant(Tones.read(aHeard), 16000, 440, 1000)).isEqualTo(1000);
    assertThat(Tones.dominant(Tones.read(bHeard), 16000, 440, 1000)).isEqualTo(440);
    assertThat(Cli.run(a, "history", bob).out()).contains("Outgoing call (0:0");
    JsonNode entry = Json.MAPPER.readTree(Cli.run(b, "history", alice, "--json").out()).get(0);
    assertThat(entry.get("text").asText()).startsWith("Incoming call (0:0");
    assertThat(entry.get("call").get("endReason").asText()).isEqualTo("remote_hangup");
    assertThat(entry.get("call").get("durationSeconds").asDouble()).isGreaterThan(2.0);
    assertThat(entry.get("call").get("missed").asBoolean()).isFalse();
  }

  @Test
  void exitCodesTellNoCallNotConnectedAndBadInputApart() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = register(alice);
    register(bob);

    Cli.Result nobodyCalls = Cli.run(a, "answer", "--timeout", "1");
    assertThat(nobodyCalls.code()).isEqualTo(ExitCodes.NO_CALL);
    assertThat(nobodyCalls.err()).contains("no call within");

    Cli.Result offline = Cli.run(a, "call", bob, "--seconds", "1");
    assertThat(offline.code()).isEqualTo(ExitCodes.CALL_NOT_CONNECTED);
    assertThat(offline.out()).contains("ended").contains("reason=unavailable");

    Cli.Result missingWav = Cli.run(a, "call", bob, "--play", dir.resolve("missing.wav").toString());
    assertThat(missingWav.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(missingWav.err()).contains("Cannot play").contains("missing.wav");

    assertThat(Cli.run(a, "call", "not-a-number").code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aVideoCallFromTwoTerminalsRecordsEachSidesPatternOnTheOther() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = register(alice);
    Path b = register(bob);
    Path aSaw = dir.resolve("a-saw.y4m");
    Path bSaw = dir.resolve("b-saw.y4m");
    String[] small = {"--video-size", "320x240", "--video-fps", "15"};

    CompletableFuture<Cli.Result> answering = CompletableFuture.supplyAsync(() -> Cli.run(b, concat(new String[] {
        "answer", "--json", "--timeout", "30", "--video-source", "pattern:2", "--record-video", bSaw.toString(),
        "--seconds", "30"}, small)));
    Cli.Result called;
    int attempts = 0;
    do {
      Thread.sleep(500);
      called = Cli.run(a, concat(new String[] {"call", bob, "--json", "--video-source", "pattern:1",
          "--record-video", aSaw.toString(), "--seconds", "4"}, small));
    } while (called.code() == ExitCodes.CALL_NOT_CONNECTED && called.out().contains("unavailable")
        && ++attempts < 20);
    assertThat(called.code()).as(called.out() + called.err()).isZero();
    Cli.Result answered = answering.get(60, TimeUnit.SECONDS);
    assertThat(answered.code()).as(answered.out() + answered.err()).isZero();

    for (Cli.Result side : List.of(called, answered)) {
      List<JsonNode> events = events(side);
      assertThat(events.stream().filter(e -> e.get("type").asText().equals("media")))
          .anySatisfy(m -> {
            assertThat(m.get("local_video").asBoolean()).isTrue();
            assertThat(m.get("remote_video").asBoolean()).isTrue();
          });
      JsonNode first = event(events, "first_video_frame");
      assertThat(first.get("width").asInt()).isEqualTo(320);
      assertThat(first.get("height").asInt()).isEqualTo(240);
      assertThat(events.stream().filter(e -> e.get("type").asText().equals("stats") && e.has("video_codec")))
          .anySatisfy(st -> assertThat(st.get("video_codec").asText()).isEqualTo("video/VP8"));
      assertThat(event(events, "ended").get("video_frames_received").asLong()).isGreaterThan(20);
    }
    assertShows(aSaw, 2);
    assertShows(bSaw, 1);
  }

  /** The recording is 320x240 at 30 fps and its readable frames carry the other side's pattern id. */
  private static void assertShows(Path recording, int id) throws Exception {
    try (Y4m.Reader reader = new Y4m.Reader(recording)) {
      assertThat(reader.header()).isEqualTo(new Y4m.Header(320, 240, 30, 1));
      int marked = 0;
      byte[] frame;
      while ((frame = reader.next()) != null) {
        Optional<TestPattern.Marker> m = TestPattern.read(320, 240, ByteBuffer.wrap(frame), 320);
        if (m.isPresent()) {
          assertThat(m.get().id()).isEqualTo(id);
          marked++;
        }
      }
      assertThat(marked).as("frames showing pattern " + id).isGreaterThan(60);
    }
  }

  @Test
  void badVideoOptionsAreUsageErrors() throws Exception {
    Path a = register(Users.newNumber());
    String bob = Users.newNumber();
    register(bob);
    Cli.Result notY4m = Cli.run(a, "call", bob, "--video-source", dir.resolve("clip.mp4").toString());
    assertThat(notY4m.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(notY4m.err()).contains("pattern, camera, screen or an existing .y4m file");
    Cli.Result badArea = Cli.run(a, "call", bob, "--video-source", "screen:0,0,800");
    assertThat(badArea.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(badArea.err()).contains("screen:X,Y,WxH");
    Cli.Result screenTooFast = Cli.run(a, "call", bob, "--video-source", "screen", "--video-fps", "30");
    assertThat(screenTooFast.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(screenTooFast.err()).contains("1-15 fps");
    Cli.Result tooBig = Cli.run(a, "call", bob, "--video-source", "pattern", "--video-size", "1920x1080");
    assertThat(tooBig.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(tooBig.err()).contains("1280x720");
    Cli.Result both = Cli.run(a, "answer", "--no-video", "--record-video", dir.resolve("x.y4m").toString());
    assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
    Path broken = Files.writeString(dir.resolve("broken.y4m"), "not video");
    Cli.Result unreadable = Cli.run(a, "call", bob, "--video-source", broken.toString(), "--seconds", "1");
    assertThat(unreadable.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(unreadable.err()).contains("Cannot send video from").contains("Not a y4m file");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
