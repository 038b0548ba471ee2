package org.parley.client.internal.voice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.internal.calls.Wav;
import org.parley.testing.Tones;

/**
 * Our Ogg Opus files against Debian's opus-tools (opusinfo, opusdec, opusenc: code nobody here wrote), and theirs
 * against our reader. scripts/test-all.sh installs opus-tools.
 */
class OggOpusInteropTest {

  static final double[] CANDIDATES = {250, 440, 500, 1000, 1500, 2000, 3000};

  @Test
  void opusinfoAcceptsOurFileWithoutWarningsAndOpusdecDecodesTheTone(@TempDir Path dir) throws Exception {
    // 44.1 kHz stereo, as a WAV from a desktop recorder would be: resampled and mixed down by the encoder.
    EncodedVoiceNote note = VoiceNoteEncoder.encode(TestAudio.tone(44_100, 2, 1000, 3.0, 0.5));
    Path ogg = Files.write(dir.resolve("note.ogg"), note.oggOpus());

    TestAudio.Run info = TestAudio.run(dir, "opusinfo", ogg.toString());
    assertThat(info.exitCode()).as(info.output()).isZero();
    assertThat(info.output()).doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("error")
        .contains("Pre-skip: 312", "Channels: 1", "Original sample rate: 16000 Hz", "Encoded with Parley voice notes (libopus 1.1.2)")
        .contains("Playback length: 0m:03.000s");
    assertThat(note.note().duration().toMillis()).isEqualTo(3000);

    TestAudio.Run decode = TestAudio.run(dir, "opusdec", ogg.toString(), "out.wav");
    assertThat(decode.exitCode()).as(decode.output()).isZero();
    Wav.Pcm out = Wav.read(dir.resolve("out.wav"));
    assertThat(out.sampleRate()).isEqualTo(16_000); // opusdec follows the header's input sample rate
    assertThat(out.frames()).isEqualTo(3 * 16_000); // pre-skip and end trimming honoured by opusdec too
    short[] mono = new PcmAudio(out.sampleRate(), out.channels(), out.samples()).toMono().samples();
    assertThat(Tones.dominant(mono, 16_000, CANDIDATES)).isEqualTo(1000);
    assertThat(TestAudio.amplitudeOf(mono, 16_000, 1000)).isBetween(0.4, 0.6);
  }

  @Test
  void aFileMadeByOpusencDecodesToItsToneWithExactlyItsLength(@TempDir Path dir) throws Exception {
    Path wav = Tones.write(dir.resolve("tone.wav"), 1000, 48_000, 2.0);
    TestAudio.Run encode = TestAudio.run(dir, "opusenc", "--quiet", "--bitrate", "24", wav.toString(), "tone.opus");
    assertThat(encode.exitCode()).as(encode.output()).isZero();
    byte[] file = Files.readAllBytes(dir.resolve("tone.opus"));

    PcmAudio decoded = VoiceNoteDecoder.decode(file, 48_000);
    assertThat(decoded.channels()).isEqualTo(1);
    assertThat(decoded.frames()).isEqualTo(2 * 48_000);
    assertThat(Tones.dominant(decoded.samples(), 48_000, CANDIDATES)).isEqualTo(1000);
    assertThat(TestAudio.amplitudeOf(decoded.samples(), 48_000, 1000)).isBetween(0.25, 0.35); // Tones: 0.3
    OggOpusFile parsed = OggOpusFile.parse(file);
    assertThat(parsed.duration().toMillis()).isEqualTo(2000);
    assertThat(parsed.tags().vendor()).startsWith("libopus");

    PcmAudio at16k = VoiceNoteDecoder.decode(file, 16_000);
    assertThat(at16k.frames()).isEqualTo(2 * 16_000);
    assertThat(Tones.dominant(at16k.samples(), 16_000, CANDIDATES)).isEqualTo(1000);
  }

  @Test
  void aStereoOpusencFileKeepsBothChannels(@TempDir Path dir) throws Exception {
    // Left 440 Hz, right 1 kHz.
    int rate = 48_000;
    short[] samples = new short[rate * 2];
    for (int i = 0; i < rate; i++) {
      samples[2 * i] = (short) (0.3 * 32767 * Math.sin(2 * Math.PI * 440 * i / rate));
      samples[2 * i + 1] = (short) (0.3 * 32767 * Math.sin(2 * Math.PI * 1000 * i / rate));
    }
    Wav.write(dir.resolve("stereo.wav"), new Wav.Pcm(rate, 2, samples));
    TestAudio.Run encode = TestAudio.run(dir, "opusenc", "--quiet", "--bitrate", "64", "stereo.wav", "s.opus");
    assertThat(encode.exitCode()).as(encode.output()).isZero();

    PcmAudio decoded = VoiceNoteDecoder.decode(Files.readAllBytes(dir.resolve("s.opus")), 48_000);
    assertThat(decoded.channels()).isEqualTo(2);
    assertThat(decoded.frames()).isEqualTo(rate);
    short[] left = new short[rate];
    short[] right = new short[rate];
    for (int i = 0; i < rate; i++) {
      left[i] = decoded.samples()[2 * i];
      right[i] = decoded.samples()[2 * i + 1];
    }
    assertThat(Tones.dominant(left, rate, CANDIDATES)).isEqualTo(440);
    assertThat(Tones.dominant(right, rate, CANDIDATES)).isEqualTo(1000);
  }

  @Test
  void opusdecForcedTo48kHzGetsTheExactLengthOfANoteThatIsNotWholeFrames(@TempDir Path dir) throws Exception {
    // 1.2345 s: neither whole 20 ms frames nor whole pages; the last page's granule position trims it.
    EncodedVoiceNote note = VoiceNoteEncoder.encode(TestAudio.tone(16_000, 1, 1000, 1.2345, 0.3));
    Files.write(dir.resolve("n.ogg"), note.oggOpus());
    TestAudio.Run decode = TestAudio.run(dir, "opusdec", "--rate", "48000", "n.ogg", "n.wav");
    assertThat(decode.exitCode()).as(decode.output()).isZero();
    Wav.Pcm out = Wav.read(dir.resolve("n.wav"));
    assertThat(out.sampleRate()).isEqualTo(48_000);
    assertThat(out.frames()).isEqualTo(3 * 19_752);
    assertThat(Tones.dominant(out.samples(), 48_000, CANDIDATES)).isEqualTo(1000);
  }
}
