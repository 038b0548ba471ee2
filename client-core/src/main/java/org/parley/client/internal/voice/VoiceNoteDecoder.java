package org.parley.client.internal.voice;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.parley.client.api.voice.UnreadableAudioException;
import org.parley.client.api.voice.VoiceCodecException;
import org.parley.client.api.voice.VoiceNote;

/**
 * Plays back any Ogg Opus file (ours, or one made by opusenc or a phone): decodes every packet, drops the pre-skip at
 * the start and what the final granule position trims at the end, and applies the header's output gain.
 */
public final class VoiceNoteDecoder {

  /** The rates libopus decodes to. */
  public static final Set<Integer> OUTPUT_RATES = Set.of(8_000, 12_000, 16_000, 24_000, 48_000);

  private VoiceNoteDecoder() {}

  public static PcmAudio decode(byte[] oggOpus, int outputRate) throws UnreadableAudioException,
      VoiceCodecException {
    if (!OUTPUT_RATES.contains(outputRate)) {
      throw new IllegalArgumentException("Opus decodes to 8, 12, 16, 24 or 48 kHz, not " + outputRate + " Hz");
    }
    OggOpusFile file = OggOpusFile.parse(oggOpus);
    // A few bytes per packet can announce 120 ms each: the length is checked before memory is set aside for it.
    if (file.duration().compareTo(VoiceNoteEncoder.MAX_DURATION) > 0) {
      throw new UnreadableAudioException("The recording plays " + file.duration().toMinutes() + " minutes; a voice"
          + " note is at most " + VoiceNoteEncoder.MAX_DURATION.toMinutes());
    }
    int channels = file.head().channels();
    int skip = (int) ((long) file.head().preSkip() * outputRate / 48_000);
    long played = file.playedSamplesAt48k() * outputRate / 48_000;
    short[] out = new short[Math.toIntExact(played * channels)];
    int written = 0;
    int toSkip = skip * channels;
    try (OpusDecoder decoder = new OpusDecoder(outputRate, channels)) {
      for (byte[] packet : file.audioPackets()) {
        if (written == out.length) {
          break;
        }
        short[] pcm = decoder.decode(packet);
        int from = Math.min(toSkip, pcm.length);
        toSkip -= from;
        int count = Math.min(pcm.length - from, out.length - written);
        System.arraycopy(pcm, from, out, written, count);
        written += count;
      }
    }
    applyGain(out, file.head().outputGainFactor());
    return new PcmAudio(outputRate, channels, out);
  }

  /** Duration and waveform of a file, for a note that arrived without them (decoded at 16 kHz). */
  public static VoiceNote describe(byte[] oggOpus) throws UnreadableAudioException, VoiceCodecException {
    PcmAudio pcm = decode(oggOpus, VoiceNoteEncoder.SAMPLE_RATE).toMono();
    List<Integer> waveform = IntStream.of(Waveform.of(pcm.samples(), Waveform.BUCKETS)).boxed().toList();
    return new VoiceNote(OggOpusFile.parse(oggOpus).duration(), waveform);
  }

  private static void applyGain(short[] samples, double factor) {
    if (factor == 1.0) {
      return;
    }
    for (int i = 0; i < samples.length; i++) {
      long value = Math.round(samples[i] * factor);
      samples[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value));
    }
  }
}
