package org.parley.desktop.vm;

import java.util.Arrays;

/**
 * Plays mono PCM faster or slower without changing its pitch, by WSOLA (waveform-similarity overlap-add): the output
 * is built from 20 ms Hann-windowed frames overlapping by half; each frame is taken from the input near where the
 * playback speed says it should be, shifted by up to ±6 ms to where it best continues the waveform of the previous
 * frame, so periods line up instead of being cut. At 1× the frames are taken where they are and add up to the input.
 */
public final class TimeStretch {

  private final short[] in;
  private final int frame;
  private final int hop;
  private final int tolerance;
  private final float[] window;
  private final float[] overlap;
  /** Where the next frame starts when no shift is applied, in input samples (fractional at 1.5×). */
  private volatile double position;
  /** Start of the input that would have followed the previous frame: what the next frame should resemble. */
  private int continuation;
  private boolean fresh = true;

  public TimeStretch(short[] mono, int sampleRate) {
    this.in = mono;
    this.frame = Math.max(16, sampleRate / 50) & ~1;
    this.hop = frame / 2;
    this.tolerance = sampleRate * 6 / 1000;
    this.window = new float[frame];
    for (int i = 0; i < frame; i++) {
      // Periodic Hann: two windows half a frame apart sum to exactly 1.
      window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / frame));
    }
    this.overlap = new float[hop];
  }

  /** How many output samples each {@link #next} call gives. */
  public int hop() {
    return hop;
  }

  /** Continues from input sample {@code sample} (a seek); the first frame fades in over 10 ms. */
  public void seek(int sample) {
    position = Math.max(0, Math.min(sample, in.length));
    fresh = true;
    Arrays.fill(overlap, 0f);
  }

  /** The input sample playback has reached. */
  public int position() {
    return (int) Math.min(in.length, Math.round(position));
  }

  public boolean finished() {
    return position >= in.length;
  }

  /**
   * Writes the next {@link #hop()} output samples into {@code out} at playback speed {@code speed} and returns how
   * many it wrote: 0 at the end of the input.
   */
  public int next(short[] out, double speed) {
    if (finished()) {
      return 0;
    }
    int nominal = (int) Math.round(position);
    int start = fresh || speed == 1.0 ? nominal : bestStart(nominal);
    for (int i = 0; i < hop; i++) {
      float v = overlap[i] + window[i] * sample(start + i);
      out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
      overlap[i] = window[hop + i] * sample(start + hop + i);
    }
    continuation = start + hop;
    position += hop * speed;
    fresh = false;
    return hop;
  }

  /** The start within ±tolerance of {@code nominal} whose first half-frame is most like the continuation. */
  private int bestStart(int nominal) {
    int from = Math.max(0, nominal - tolerance);
    int to = nominal + tolerance;
    int best = nominal;
    double bestScore = Double.NEGATIVE_INFINITY;
    // Every 4th sample is enough to compare speech periods (≥ 2.5 ms) and keeps this cheap at 48 kHz.
    for (int k = from; k <= to; k++) {
      double dot = 0;
      double energy = 1e-9;
      for (int i = 0; i < hop; i += 4) {
        double a = sample(k + i);
        dot += a * sample(continuation + i);
        energy += a * a;
      }
      double score = dot / Math.sqrt(energy);
      if (score > bestScore) {
        bestScore = score;
        best = k;
      }
    }
    return best;
  }

  private float sample(int i) {
    return i >= 0 && i < in.length ? in[i] : 0f;
  }
}
