package org.parley.client.internal.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.voice.VoiceNote;
import org.parley.testing.Tones;

class VoiceNoteEncoderTest {

  @Test
  void anyRateAndChannelCountBecomes16kHzMonoOpusAtAboutTwentyKbps() throws Exception {
    // 96 kHz, 6 channels: mixed down and resampled.
    EncodedVoiceNote note = VoiceNoteEncoder.encode(TestAudio.tone(96_000, 6, 1000, 4.0, 0.3));
    assertThat(note.note().duration().toMillis()).isEqualTo(4000);
    OggOpusFile file = OggOpusFile.parse(note.oggOpus());
    assertThat(file.head().channels()).isEqualTo(1);
    assertThat(file.head().inputSampleRate()).isEqualTo(16_000);
    double kbps = file.audioPackets().stream().mapToInt(p -> p.length).sum() * 8 / 4.0 / 1000;
    assertThat(kbps).isBetween(12.0, 26.0); // VBR around 20 kbps (a pure tone costs a little more than speech)
    for (byte[] packet : file.audioPackets()) {
      assertThat(OpusPackets.samplesAt48k(packet)).isEqualTo(960); // 20 ms frames
    }

    PcmAudio decoded = VoiceNoteDecoder.decode(note.oggOpus(), 16_000);
    assertThat(decoded.frames()).isEqualTo(4 * 16_000);
    assertThat(Tones.dominant(decoded.samples(), 16_000, 500, 1000, 2000)).isEqualTo(1000);
    assertThat(TestAudio.amplitudeOf(decoded.samples(), 16_000, 1000)).isBetween(0.25, 0.35);
  }

  @Test
  void theWaveformFollowsTheLoudnessOfTheRecording() throws Exception {
    // 1 s silence, 1 s at full level, 1 s at a quarter, 1 s silence: 16 buckets each.
    short[] loud = TestAudio.tone(16_000, 1, 440, 1.0, 0.8).samples();
    short[] samples = new short[64_000];
    System.arraycopy(loud, 0, samples, 16_000, 16_000);
    for (int i = 0; i < 16_000; i++) {
      samples[32_000 + i] = (short) (loud[i] / 4);
    }
    VoiceNote note = VoiceNoteEncoder.encode(new PcmAudio(16_000, 1, samples)).note();
    assertThat(note.waveform()).hasSize(64);
    assertThat(note.waveform().subList(0, 16)).containsOnly(0);
    assertThat(note.waveform().subList(16, 32)).allSatisfy(v -> assertThat(v).isBetween(250, 255));
    assertThat(note.waveform().subList(32, 48)).allSatisfy(v -> assertThat(v).isBetween(60, 68));
    assertThat(note.waveform().subList(48, 64)).containsOnly(0);

    // Near silence (-60 dBFS) stays low instead of being blown up to full bars.
    int[] quiet = Waveform.of(TestAudio.tone(16_000, 1, 440, 1.0, 0.001).samples(), 64);
    assertThat(Arrays.stream(quiet).max().getAsInt()).isBetween(1, 30);
    assertThat(Waveform.of(new short[10], 64)).hasSize(64); // shorter than the bucket count
  }

  @Test
  void describingAReceivedFileGivesTheSameDurationAndAboutTheSameWaveform() throws Exception {
    EncodedVoiceNote note = VoiceNoteEncoder.encode(TestAudio.tone(16_000, 1, 440, 1.5, 0.5));
    VoiceNote described = VoiceNoteDecoder.describe(note.oggOpus());
    assertThat(described.duration()).isEqualTo(note.note().duration());
    for (int i = 0; i < 64; i++) {
      assertThat(described.waveform().get(i)).isCloseTo(note.note().waveform().get(i),
          Offset.offset(40));
    }
  }

  @Test
  void emptyTooLongOrBadRequestsAreRefusedClearly() {
    assertThatThrownBy(() -> VoiceNoteEncoder.encode(new PcmAudio(16_000, 1, new short[0])))
        .isInstanceOf(InvalidInputException.class).hasMessage("The recording is empty");
    assertThatThrownBy(() -> VoiceNoteEncoder.encode(new PcmAudio(96_000, 1, new short[5])))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("too short");
    // 30 minutes and one second at 1 kHz (so the test stays small).
    assertThatThrownBy(() -> VoiceNoteEncoder.encode(new PcmAudio(1_000, 1, new short[1_801_000])))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("30 minutes long; a voice note is at most 30");
    assertThatThrownBy(() -> VoiceNoteDecoder.decode(new byte[0], 44_100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 44100 Hz");
    assertThatThrownBy(() -> new PcmAudio(16_000, 2, new short[3])).hasMessageContaining("whole frames");
    assertThatThrownBy(() -> new VoiceNote(Duration.ofSeconds(1), List.of(0, 256)))
        .hasMessageContaining("0–255");
  }
}
