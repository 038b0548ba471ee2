package org.parley.client.internal.voice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.voice.VoiceCodecException;
import org.parley.client.api.voice.VoiceNote;

/**
 * Turns recorded PCM of any rate and channel count into a voice note: mixed to mono, resampled to 16 kHz
 * (band-limited), encoded with Opus for speech at 20 kbps in 20 ms frames, and written as Ogg Opus (RFC 7845) with
 * its duration and a 64-bucket waveform.
 */
public final class VoiceNoteEncoder {

  public static final int SAMPLE_RATE = 16_000;
  public static final int BITRATE = 20_000;
  public static final int FRAME_MILLIS = 20;
  /** Longer recordings are refused: 30 minutes is ~4.5 MB at 20 kbps, and nobody listens to more as a note. */
  public static final Duration MAX_DURATION = Duration.ofMinutes(30);
  private static final int TO_48K = 48_000 / SAMPLE_RATE;

  private static final SecureRandom SERIALS = new SecureRandom();

  private VoiceNoteEncoder() {}

  public static EncodedVoiceNote encode(PcmAudio pcm) throws InvalidInputException, VoiceCodecException {
    if (pcm.frames() == 0) {
      throw new InvalidInputException("The recording is empty");
    }
    if (pcm.duration().compareTo(MAX_DURATION) > 0) {
      throw new InvalidInputException("The recording is " + pcm.duration().toMinutes()
          + " minutes long; a voice note is at most " + MAX_DURATION.toMinutes());
    }
    short[] speech = Resampler.resample(pcm.toMono().samples(), pcm.sampleRate(), SAMPLE_RATE);
    if (speech.length == 0) {
      throw new InvalidInputException("The recording is too short to hold any sound");
    }
    ByteArrayOutputStream file = new ByteArrayOutputStream(speech.length / 4 + 1024);
    try (OpusEncoder encoder = new OpusEncoder(SAMPLE_RATE, 1, FRAME_MILLIS, BITRATE)) {
      int lookahead = encoder.lookahead();
      int frame = encoder.frameSize();
      OpusHead head = new OpusHead(1, lookahead * TO_48K, SAMPLE_RATE, (short) 0);
      OpusTags tags = new OpusTags("Parley voice notes (" + OpusNative.versionString() + ")", List.of());
      OggOpusWriter writer = new OggOpusWriter(file, head, tags, SERIALS.nextInt());
      // Encode past the end by the lookahead, so the last real samples leave the encoder; the final granule
      // position then trims the padding.
      int frames = (speech.length + lookahead + frame - 1) / frame;
      short[] padded = Arrays.copyOf(speech, frames * frame);
      for (int f = 0; f < frames; f++) {
        writer.writePacket(encoder.encode(padded, f * frame), frame * TO_48K);
      }
      writer.finish((long) speech.length * TO_48K);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    Duration duration = Duration.ofNanos(speech.length * 1_000_000_000L / SAMPLE_RATE);
    List<Integer> waveform = IntStream.of(Waveform.of(speech, Waveform.BUCKETS)).boxed().toList();
    return new EncodedVoiceNote(file.toByteArray(), new VoiceNote(duration, waveform));
  }
}
