package org.parley.client.internal.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.client.api.voice.UnreadableAudioException;

/** What a stranger's file can make the decoder hold: its length is checked before any memory is set aside. */
class VoiceNoteDecoderLimitsTest {

  @Test
  void twoBytePacketsAnnouncingMoreThanThirtyMinutesAreRefusedBeforeDecoding() throws Exception {
    // Code 3, two empty 60 ms SILK frames: 120 ms of audio in two bytes, so ~100 kB (with our one-second pages) announce half an hour.
    byte[] packet = {(byte) (3 << 3 | 3), 2};
    int packets = 15_100;
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    OggOpusWriter writer = new OggOpusWriter(file, new OpusHead(1, 312, 16_000, (short) 0),
        new OpusTags("test", List.of()), 7);
    for (int i = 0; i < packets; i++) {
      writer.writePacket(packet, 5760);
    }
    writer.finish(312L + packets * 5760L - 1000);
    assertThat(file.size()).isLessThan(128 * 1024);

    assertThatThrownBy(() -> VoiceNoteDecoder.decode(file.toByteArray(), 48_000))
        .isInstanceOf(UnreadableAudioException.class).hasMessage("The recording plays 30 minutes; a voice note is at"
            + " most 30");
  }
}
