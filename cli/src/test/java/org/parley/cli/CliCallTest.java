package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
}
