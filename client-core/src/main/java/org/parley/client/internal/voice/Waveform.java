package org.parley.client.internal.voice;

/**
 * The shape of a recording for a voice bubble: its length cut into equal buckets, each the RMS level of its
 * samples scaled to 0–255 relative to the loudest bucket. A recording whose loudest bucket is quieter than
 * -40 dBFS is scaled against -40 dBFS instead, so near-silence shows as low bars rather than amplified noise.
 */
final class Waveform {

  static final int BUCKETS = 64;
  private static final double FLOOR_RMS = 32768 * Math.pow(10, -40 / 20.0);

  private Waveform() {}

  static int[] of(short[] mono, int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("at least one bucket");
    }
    double[] rms = new double[buckets];
    double loudest = 0;
    for (int b = 0; b < buckets; b++) {
      int from = (int) ((long) b * mono.length / buckets);
      int to = (int) ((long) (b + 1) * mono.length / buckets);
      double sumOfSquares = 0;
      for (int i = from; i < to; i++) {
        sumOfSquares += (double) mono[i] * mono[i];
      }
      rms[b] = to > from ? Math.sqrt(sumOfSquares / (to - from)) : 0;
      loudest = Math.max(loudest, rms[b]);
    }
    double reference = Math.max(loudest, FLOOR_RMS);
    int[] levels = new int[buckets];
    for (int b = 0; b < buckets; b++) {
      levels[b] = (int) Math.min(255, Math.round(255 * rms[b] / reference));
    }
    return levels;
  }
}
