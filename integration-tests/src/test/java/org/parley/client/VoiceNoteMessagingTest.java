package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.Message;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.voice.UnreadableAudioException;
import org.parley.client.api.voice.VoiceNote;
import org.parley.client.api.voice.VoiceNoteAudio;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Tones;

/**
 * Voice notes through client-core and the real server (issue #13, docs/decisions/0130): a WAV recording becomes an
 * Ogg Opus attachment that opus-tools (Debian's opusinfo and opusdec, code nobody here wrote) accept, with its length
 * and waveform in the pointer, and Parley decodes what it received back to the tone it was.
 */
class VoiceNoteMessagingTest {

  private static final double[] CANDIDATES = {250, 440, 500, 1000, 1500, 2000, 3000};

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  /** A 16-bit stereo WAV of a sine at {@code hz}, half of full scale, the same on both channels. */
  static Path stereoTone(Path file, double hz, int rate, double seconds) throws IOException {
    int frames = (int) Math.round(rate * seconds);
    ByteBuffer b = ByteBuffer.allocate(44 + frames * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + frames * 4)
        .put("WAVE".getBytes(StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 2)
        .putInt(rate).putInt(rate * 4).putShort((short) 4).putShort((short) 16);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(frames * 4);
    for (int i = 0; i < frames; i++) {
      short v = (short) Math.round(0.5 * 32767 * Math.sin(2 * Math.PI * hz * i / rate));
      b.putShort(v).putShort(v);
    }
    return Files.write(file, b.array());
  }

  record Run(int exitCode, String output) {}

  static Run run(Path dir, String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
    return new Run(process.exitValue(), output);
  }

  @Test
  void aToneRecordedAt44kStereoArrivesAsAVoiceNoteThatOpusToolsAndParleyDecode(@TempDir Path dir) throws Exception {
    var alice = parley.register();
    var bob = parley.register();
    Path wav = stereoTone(dir.resolve("tone.wav"), 1000, 44_100, 2.5);
    alice.client().connect();
    bob.client().connect();

    Message sent = alice.client().sendVoiceNote(bob.number(), wav);
    Attachment outgoing = sent.attachments().get(0);
    assertThat(outgoing.contentType()).isEqualTo("audio/ogg");
    assertThat(outgoing.fileName()).isEqualTo("voice-note.ogg");
    assertThat(outgoing.voiceNote()).isPresent();

    Message received = AttachmentMessagingTest.awaitAttachmentMessage(bob.client(), alice.number(),
        Message.Direction.INCOMING);
    Attachment pointer = received.attachments().get(0);
    assertThat(pointer.contentType()).isEqualTo("audio/ogg");
    VoiceNote note = pointer.voiceNote().orElseThrow(() -> new AssertionError("no voice note on " + pointer));
    assertThat(note.duration().toMillis()).isBetween(2400L, 2600L);
    assertThat(pointer.durationMillis()).hasValue(note.duration().toMillis());
    assertThat(note.waveform()).hasSize(64);
    // A steady tone is equally loud throughout: every bucket but the edges is at the top of the scale.
    assertThat(note.waveform().subList(1, 63)).allSatisfy(level -> assertThat(level).isGreaterThan(200));

    // Voice notes download by themselves, like pictures: nobody asks for this one.
    await().atMost(AttachmentMessagingTest.WAIT).until(() -> bob.client().attachment(pointer.id()).state()
        == AttachmentState.DOWNLOADED);
    Path saved = bob.client().saveAttachment(pointer.id(), Files.createDirectory(dir.resolve("saved")));
    assertThat(saved.getFileName().toString()).isEqualTo("voice-note.ogg");

    Run info = run(dir, "opusinfo", saved.toString());
    System.out.println("opusinfo " + saved.getFileName() + ":\n" + info.output());
    assertThat(info.exitCode()).as(info.output()).isZero();
    assertThat(info.output()).doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("error")
        .contains("Channels: 1", "Original sample rate: 16000 Hz", "Playback length: 0m:02.5");
    Run decode = run(dir, "opusdec", "--quiet", saved.toString(), "opusdec.wav");
    assertThat(decode.exitCode()).as(decode.output()).isZero();
    short[] byOpusdec = Tones.read(dir.resolve("opusdec.wav"));
    assertThat(byOpusdec.length).as("opusdec plays it at 16 kHz for its whole length").isEqualTo(40_000);
    assertThat(Tones.dominant(byOpusdec, 16_000, CANDIDATES)).isEqualTo(1000);

    VoiceNoteAudio audio = bob.client().decodeVoiceNote(pointer.id());
    assertThat(audio.sampleRate()).isEqualTo(48_000);
    assertThat(audio.channels()).isEqualTo(1);
    assertThat(Math.abs(audio.duration().toMillis() - 2500)).isLessThanOrEqualTo(100);
    assertThat(Tones.dominant(audio.samples(), 48_000, CANDIDATES)).isEqualTo(1000);
  }

  @Test
  void aFileThatIsNotAWavIsRefusedAndNothingIsQueued(@TempDir Path dir) throws Exception {
    var alice = parley.register();
    var bob = parley.register();
    Path notWav = Files.writeString(dir.resolve("speech.wav"), "this is text, not sound");

    assertThatThrownBy(() -> alice.client().sendVoiceNote(bob.number(), notWav))
        .isInstanceOf(UnreadableAudioException.class).hasMessageContaining("speech.wav is not a WAV file");
    assertThat(AttachmentMessagingTest.history(alice.client(), bob.number())).as("nothing queued").isEmpty();
    Path uploads = alice.dataDir().resolve("attachments").resolve(".upload");
    if (Files.isDirectory(uploads)) {
      try (var left = Files.list(uploads)) {
        assertThat(left.toList()).as("no ciphertext left behind").isEmpty();
      }
    }
  }

  @Test
  void decodingATruncatedOrNonOggAttachmentSaysWhatIsWrong(@TempDir Path dir) throws Exception {
    var alice = parley.register();
    var bob = parley.register();
    alice.client().connect();
    bob.client().connect();
    Message voice = alice.client().sendVoiceNote(bob.number(), stereoTone(dir.resolve("t.wav"), 1000, 48_000, 1));
    byte[] ogg;
    try (var in = alice.client().openAttachment(voice.attachments().get(0).id())) {
      ogg = in.readAllBytes();
    }
    Path truncated = Files.write(dir.resolve("cut.ogg"), Arrays.copyOf(ogg, ogg.length * 2 / 3));
    Path text = Files.writeString(dir.resolve("notes.ogg"), "plain text with an .ogg name");
    Message files = alice.client().send(bob.number(), "", List.of(
        new OutgoingAttachment(truncated, Optional.of("audio/ogg"), Optional.empty(), true),
        new OutgoingAttachment(text, Optional.of("audio/ogg"), Optional.empty(), true)));
    await().atMost(AttachmentMessagingTest.WAIT).until(() -> AttachmentMessagingTest.history(bob.client(),
        alice.number()).stream().filter(m -> m.attachments().size() == 2).count() == 1);
    Message received = AttachmentMessagingTest.history(bob.client(), alice.number()).stream()
        .filter(m -> m.attachments().size() == 2).findFirst().orElseThrow();
    assertThat(files.attachments()).hasSize(2);
    long cut = received.attachments().get(0).id();
    long notOgg = received.attachments().get(1).id();

    assertThatThrownBy(() -> bob.client().decodeVoiceNote(cut)).as("not downloaded yet: files wait to be asked")
        .isInstanceOf(NotFoundException.class);
    bob.client().awaitDownload(cut, AttachmentMessagingTest.WAIT);
    bob.client().awaitDownload(notOgg, AttachmentMessagingTest.WAIT);
    assertThatThrownBy(() -> bob.client().decodeVoiceNote(cut)).isInstanceOf(UnreadableAudioException.class)
        .hasMessageContaining("cut short");
    assertThatThrownBy(() -> bob.client().decodeVoiceNote(notOgg)).isInstanceOf(UnreadableAudioException.class)
        .hasMessageContaining("Not an Ogg file");
  }
}
