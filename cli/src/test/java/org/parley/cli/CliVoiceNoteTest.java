package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Tones;
import org.parley.testing.Users;

/** {@code send --voice} and receiving voice notes through the parley command, real server on loopback. */
class CliVoiceNoteTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  @TempDir
  Path temp;

  @Test
  void aWavSentWithVoiceIsSavedAsAnOggOpusFileWithItsDurationAndWaveformInJson() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path wav = Tones.write(temp.resolve("hello.wav"), 1000, 44_100, 2.0);

    Cli.Result sent = Cli.run(a, "send", bob, "--voice", wav.toString());
    assertThat(sent.code()).as(sent.err()).isZero();
    assertThat(sent.lines()).hasSize(2);
    assertThat(sent.lines().get(1)).matches("attachment \\d+: voice-note\\.ogg \\(audio/ogg, .* kB, 2\\.0 s, voice "
        + "note\\)");

    Path saveDir = Files.createDirectory(temp.resolve("saved"));
    Cli.Result received = Cli.run(b, "receive", "--json", "--timeout", "2", "--save-dir", saveDir.toString());
    assertThat(received.code()).as(received.err()).isZero();
    assertThat(received.lines()).hasSize(1);
    JsonNode attachment = Json.MAPPER.readTree(received.lines().get(0)).path("attachments").get(0);
    assertThat(attachment.path("contentType").asText()).isEqualTo("audio/ogg");
    JsonNode voiceNote = attachment.path("voiceNote");
    assertThat(voiceNote.path("durationMs").asLong()).isBetween(1900L, 2100L);
    assertThat(voiceNote.path("waveform")).hasSize(64);
    assertThat(voiceNote.path("waveform").get(32).asInt()).as("a steady tone fills the middle bucket")
        .isGreaterThan(200);
    Path saved = Path.of(attachment.path("savedPath").asText());
    assertThat(saved).hasParent(saveDir).exists();
    assertThat(saved.getFileName().toString()).endsWith(".ogg");
    assertThat(Arrays.copyOf(Files.readAllBytes(saved), 4)).isEqualTo("OggS".getBytes(StandardCharsets.US_ASCII));
    Process info = new ProcessBuilder("opusinfo", saved.toString()).redirectErrorStream(true).start();
    String output = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(info.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(info.exitValue()).as(output).isZero();
    assertThat(output).contains("Playback length: 0m:02.0").doesNotContainIgnoringCase("warning");
  }

  @Test
  void theDaemonSendsAVoiceNoteAndRefusesAFileThatIsNotAWav() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path wav = Tones.write(temp.resolve("daemon.wav"), 440, 16_000, 1.0);
    Path text = Files.writeString(temp.resolve("text.wav"), "words");
    try (DaemonTest.Daemon daemon = new DaemonTest.Daemon(a)) {
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sendVoiceNote\",\"params\":{\"number\":\"" + bob
          + "\",\"file\":\"" + wav + "\"}}");
      JsonNode attachment = daemon.answer(1).path("result").path("attachments").get(0);
      assertThat(attachment.path("contentType").asText()).isEqualTo("audio/ogg");
      assertThat(attachment.path("voiceNote").path("durationMs").asLong()).isEqualTo(1000);
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"sendVoiceNote\",\"params\":{\"number\":\"" + bob
          + "\",\"file\":\"" + text + "\"}}");
      assertThat(daemon.answer(2).path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_PARAMS);
      assertThat(daemon.answer(2).path("error").path("message").asText()).contains("text.wav is not a WAV file");
      await().atMost(Duration.ofSeconds(30)).until(() -> Cli.run(b, "receive", "--timeout", "1").out()
          .contains("voice-note.ogg (audio/ogg"));
    }
  }

  @Test
  void aFileThatIsNotAWavOrIsMissingIsRefusedWithExitTwoAndNothingIsSent() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Cli.register(parley.server(), bob);
    Path text = Files.writeString(temp.resolve("memo.wav"), "not a recording");

    Cli.Result notWav = Cli.run(a, "send", bob, "--voice", text.toString());
    assertThat(notWav.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(notWav.err()).contains("memo.wav is not a WAV file");
    Cli.Result missing = Cli.run(a, "send", bob, "--voice", temp.resolve("nowhere.wav").toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("no such file");
    Cli.Result withText = Cli.run(a, "send", bob, "--voice", text.toString(), "hello");
    assertThat(withText.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(withText.err()).contains("A voice note carries no text");

    Cli.Result history = Cli.run(a, "history", bob);
    assertThat(history.out()).doesNotContain("voice-note.ogg");
  }
}
