package org.parley.client.internal.voice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.parley.client.api.voice.UnreadableAudioException;

/**
 * An Ogg Opus file taken apart (RFC 7845): its headers, its audio packets, and how long it plays. Reading needs no
 * codec: the duration comes from the granule positions.
 *
 * @param finalGranule the last granule position: pre-skip plus the samples (48 kHz) the stream plays
 */
record OggOpusFile(OpusHead head, OpusTags tags, List<byte[]> audioPackets, long finalGranule) {

  OggOpusFile {
    audioPackets = List.copyOf(audioPackets);
  }

  /** Samples per channel at 48 kHz that the file plays, after pre-skip and end trimming. */
  long playedSamplesAt48k() {
    return finalGranule - head.preSkip();
  }

  Duration duration() {
    return Duration.ofNanos(playedSamplesAt48k() * 1_000_000_000L / 48_000);
  }

  static OggOpusFile parse(byte[] file) throws UnreadableAudioException {
    List<OggPacket> packets = OggStreamReader.readFirstStream(file);
    byte[] first = packets.get(0).data();
    if (!OpusHead.isOpusHead(first)) {
      throw new UnreadableAudioException("Not an Ogg Opus file: the Ogg stream holds " + OpusHead.codecOf(first));
    }
    OpusHead head = OpusHead.parse(first);
    if (packets.size() < 2) {
      throw new UnreadableAudioException("The file is damaged: it has no OpusTags header");
    }
    OpusTags tags = OpusTags.parse(packets.get(1).data());
    if (packets.size() < 3) {
      throw new UnreadableAudioException("The file holds no audio");
    }
    List<byte[]> audio = new ArrayList<>(packets.size() - 2);
    long total = 0;
    long finalGranule = -1;
    for (OggPacket packet : packets.subList(2, packets.size())) {
      audio.add(packet.data());
      total += OpusPackets.samplesAt48k(packet.data());
      if (packet.granulePosition() != -1) {
        finalGranule = packet.granulePosition();
      }
    }
    if (finalGranule < head.preSkip()) {
      throw new UnreadableAudioException("The file is damaged: its last granule position (" + finalGranule
          + ") is before the end of the pre-skip (" + head.preSkip() + ")");
    }
    if (finalGranule > total) {
      throw new UnreadableAudioException("The file is damaged: its granule position says " + finalGranule
          + " samples but its packets hold " + total);
    }
    return new OggOpusFile(head, tags, audio, finalGranule);
  }
}
