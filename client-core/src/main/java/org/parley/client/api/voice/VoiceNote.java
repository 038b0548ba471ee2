package org.parley.client.api.voice;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a voice note's bubble shows before its audio is fetched: how long it plays and its waveform.
 *
 * @param waveform amplitude buckets spread evenly over the recording, each 0–255 (Parley makes 64)
 */
public record VoiceNote(Duration duration, List<Integer> waveform) {

  /** The most buckets a waveform may have (a received note with more is refused). */
  public static final int MAX_WAVEFORM_BUCKETS = 256;

  public VoiceNote {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a voice note's duration cannot be negative: " + duration);
    }
    waveform = List.copyOf(waveform);
    if (waveform.size() > MAX_WAVEFORM_BUCKETS) {
      throw new IllegalArgumentException("a waveform has at most " + MAX_WAVEFORM_BUCKETS + " buckets, not "
          + waveform.size());
    }
    for (int level : waveform) {
      if (level < 0 || level > 255) {
        throw new IllegalArgumentException("waveform levels are 0–255, not " + level);
      }
    }
  }
}
