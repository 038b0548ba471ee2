package org.parley.client.internal.voice;

/**
 * Band-limited sample-rate conversion of mono PCM by any ratio: each output sample is the input convolved with a
 * Kaiser-windowed sinc (interpolated from a finely sampled table), whose cutoff sits just below the lower of the two
 * Nyquist frequencies. So decimating 44.1 or 48 kHz to 16 kHz removes what lies above 8 kHz before it could alias
 * into the speech band, which linear interpolation does not.
 *
 * <p>32 zero crossings each side and a Kaiser beta of 8.6 give about 86 dB of stopband attenuation; the passband is
 * flat to about 6.8 kHz at a 16 kHz output and the stopband starts at about 8.2 kHz, so only the top 200 Hz of the
 * band can receive (attenuated) aliases.
 */
final class Resampler {

  private static final int ZERO_CROSSINGS = 32;
  private static final int STEPS_PER_CROSSING = 512;
  private static final double KAISER_BETA = 8.6;
  /** Cutoff as a fraction of the lower Nyquist frequency. */
  private static final double ROLLOFF = 0.94;
  /** h(u) for u = 0 .. ZERO_CROSSINGS in steps of 1/STEPS_PER_CROSSING; the filter is even. */
  private static final double[] FILTER = filterTable();

  private Resampler() {}

  static short[] resample(short[] input, int fromRate, int toRate) {
    if (fromRate <= 0 || toRate <= 0) {
      throw new IllegalArgumentException("sample rates must be positive");
    }
    if (fromRate == toRate) {
      return input.clone();
    }
    int outputLength = (int) ((long) input.length * toRate / fromRate);
    short[] output = new short[outputLength];
    double rho = Math.min(1.0, (double) toRate / fromRate) * ROLLOFF;
    double reach = ZERO_CROSSINGS / rho; // filter half-width in input samples
    for (int n = 0; n < outputLength; n++) {
      long position = (long) n * fromRate; // the output instant in input samples, times toRate (exact)
      int whole = (int) (position / toRate);
      double t = whole + (double) (position % toRate) / toRate;
      int first = Math.max(0, (int) Math.ceil(t - reach));
      int last = Math.min(input.length - 1, (int) Math.floor(t + reach));
      double sum = 0;
      for (int k = first; k <= last; k++) {
        sum += input[k] * filter(rho * Math.abs(t - k));
      }
      long value = Math.round(sum * rho);
      output[n] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value));
    }
    return output;
  }

  /** The windowed sinc at {@code u} zero crossings from its centre, linearly interpolated in the table. */
  private static double filter(double u) {
    double index = u * STEPS_PER_CROSSING;
    int i = (int) index;
    if (i >= FILTER.length - 1) {
      return 0;
    }
    double fraction = index - i;
    return FILTER[i] + fraction * (FILTER[i + 1] - FILTER[i]);
  }

  private static double[] filterTable() {
    int size = ZERO_CROSSINGS * STEPS_PER_CROSSING + 1;
    double[] table = new double[size];
    double norm = besselI0(KAISER_BETA);
    for (int i = 0; i < size; i++) {
      double u = (double) i / STEPS_PER_CROSSING;
      double sinc = i == 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
      double r = u / ZERO_CROSSINGS;
      double window = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / norm;
      table[i] = sinc * window;
    }
    return table;
  }

  /** The modified Bessel function of the first kind, order 0 (its power series; converges fast for beta < 20). */
  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double halfX = x / 2;
    for (int k = 1; k < 50; k++) {
      term *= (halfX / k) * (halfX / k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }
}
