package org.parley.client.internal.attachments;

/**
 * The sizes an attachment's plaintext is padded to before encryption, so the server sees one of a few hundred
 * bucket sizes instead of the exact length (which can tell which well-known file was sent). Buckets start at 1 KiB
 * and grow by 5 %, so padding costs at most 5 % (or the 1 KiB floor). The real size travels in the pointer.
 */
public final class PaddedSizes {

  /** The smallest bucket: small files (a short voice note, a sticker) all look alike. */
  static final long SMALLEST = 1024;
  private static final double GROWTH = 1.05;
  /** Far above any upload cap; keeps the arithmetic away from overflow. */
  public static final long LARGEST_PLAINTEXT = 1L << 40;

  private PaddedSizes() {}

  /** The bucket a plaintext of {@code size} bytes is padded to: the smallest bucket that is at least {@code size}. */
  public static long paddedSize(long size) {
    if (size < 0 || size > LARGEST_PLAINTEXT) {
      throw new IllegalArgumentException("An attachment size must be 0.." + LARGEST_PLAINTEXT + " bytes: " + size);
    }
    long bucket = SMALLEST;
    while (bucket < size) {
      // Integer steps from a fixed start: every client computes the same buckets (Java's double math is strict).
      bucket = Math.max(bucket + 1, (long) Math.ceil(bucket * GROWTH));
    }
    return bucket;
  }
}
