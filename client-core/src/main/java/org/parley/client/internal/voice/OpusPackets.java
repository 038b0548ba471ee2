package org.parley.client.internal.voice;

import org.parley.client.api.voice.UnreadableAudioException;

/** Reads how much audio an Opus packet holds from its table-of-contents byte (RFC 6716 section 3.1). */
final class OpusPackets {

  /** The longest a packet may be: 120 ms at 48 kHz (RFC 6716 section 3.2.5). */
  static final int MAX_SAMPLES_AT_48K = 5760;

  private OpusPackets() {}

  /** Samples per channel at 48 kHz that {@code packet} decodes to. */
  static int samplesAt48k(byte[] packet) throws UnreadableAudioException {
    if (packet.length == 0) {
      throw new UnreadableAudioException("The file is damaged: an empty Opus packet");
    }
    int toc = packet[0] & 0xff;
    int frames = switch (toc & 0x3) {
      case 0 -> 1;
      case 1, 2 -> 2;
      default -> {
        if (packet.length < 2) {
          throw new UnreadableAudioException("The file is damaged: an Opus packet lacks its frame count");
        }
        yield packet[1] & 0x3f;
      }
    };
    int samples = frames * frameSizeAt48k(toc >> 3);
    if (frames == 0 || samples > MAX_SAMPLES_AT_48K) {
      throw new UnreadableAudioException("The file is damaged: an Opus packet of " + frames + " frames ("
          + samples + " samples; 1 to 5760 allowed)");
    }
    return samples;
  }

  private static int frameSizeAt48k(int config) {
    if (config < 12) {
      return new int[] {480, 960, 1920, 2880}[config & 3]; // SILK-only: 10, 20, 40, 60 ms
    }
    if (config < 16) {
      return (config & 1) == 0 ? 480 : 960; // hybrid: 10, 20 ms
    }
    return new int[] {120, 240, 480, 960}[config & 3]; // CELT-only: 2.5, 5, 10, 20 ms
  }
}
