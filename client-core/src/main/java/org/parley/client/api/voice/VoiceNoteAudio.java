package org.parley.client.api.voice;

import java.time.Duration;

/**
 * A voice note decoded for playback: 16-bit linear PCM.
 *
 * @param samples interleaved when there are two channels (Parley's own notes are mono; other Ogg Opus files may be
 *     stereo)
 */
public record VoiceNoteAudio(int sampleRate, int channels, short[] samples) {

  /** Samples per channel. */
  public int frames() {
    return samples.length / channels;
  }

  public Duration duration() {
    return Duration.ofNanos(frames() * 1_000_000_000L / sampleRate);
  }
}
