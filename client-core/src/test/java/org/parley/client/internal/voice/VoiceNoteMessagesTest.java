package org.parley.client.internal.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.voice.VoiceNote;

class VoiceNoteMessagesTest {

  @Test
  void durationAndWaveformSurviveTheWire() throws Exception {
    VoiceNote note = new VoiceNote(Duration.ofMillis(12_345), IntStream.range(0, 64).map(i -> i * 4).boxed().toList());
    org.parley.client.internal.proto.VoiceNote wire = VoiceNoteMessages.toProto(note);
    assertThat(wire.getWaveform().size()).isEqualTo(64);
    assertThat(wire.getWaveform().byteAt(63) & 0xff).isEqualTo(252);
    assertThat(VoiceNoteMessages.fromProto(org.parley.client.internal.proto.VoiceNote.parseFrom(wire.toByteArray())))
        .isEqualTo(note);
    assertThat(VoiceNoteMessages.fromProto(VoiceNoteMessages.toProto(new VoiceNote(Duration.ZERO, List.of()))))
        .isEqualTo(new VoiceNote(Duration.ZERO, List.of()));
  }

  @Test
  void implausibleValuesFromTheWireAreRefused() {
    assertThatThrownBy(() -> VoiceNoteMessages.fromProto(org.parley.client.internal.proto.VoiceNote.newBuilder()
        .setDurationMs(-1).build())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("71582 minutes is longer than any Parley makes (30)");
    assertThatThrownBy(() -> VoiceNoteMessages.fromProto(org.parley.client.internal.proto.VoiceNote.newBuilder()
        .setWaveform(ByteString.copyFrom(new byte[257])).build())).isInstanceOf(InvalidInputException.class)
        .hasMessage("A voice note's waveform has at most 256 buckets, not 257");
  }
}
