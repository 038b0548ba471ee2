package org.parley.client.internal.voice;

import java.time.Duration;

/**
 * 16-bit linear PCM in memory.
 *
 * @param samples interleaved when there are several channels
 */
public record PcmAudio(int sampleRate, int channels, short[] samples) {

  public PcmAudio {
    if (sampleRate < 1000 || sampleRate > 384_000) {
      throw new IllegalArgumentException("sample rate " + sampleRate + " Hz is outside 1,000–384,000");
    }
    if (channels < 1 || channels > 255) {
      throw new IllegalArgumentException(channels + " channels (1 to 255 allowed)");
    }
    if (samples.length % channels != 0) {
      throw new IllegalArgumentException(samples.length + " samples do not make whole frames of " + channels
          + " channels");
    }
  }

  /** Samples per channel. */
  public int frames() {
    return samples.length / channels;
  }

  public Duration duration() {
    return Duration.ofNanos(frames() * 1_000_000_000L / sampleRate);
  }

  /** The channels averaged into one. */
  public PcmAudio toMono() {
    if (channels == 1) {
      return this;
    }
    short[] mono = new short[frames()];
    for (int frame = 0; frame < mono.length; frame++) {
      int sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += samples[frame * channels + c];
      }
      mono[frame] = (short) Math.round((double) sum / channels);
    }
    return new PcmAudio(sampleRate, 1, mono);
  }
}
