package org.parley.server.support;

import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * A long stream of pseudo-random bytes that is never held in memory, the same for the same seed: block i (64 KiB)
 * comes from its own generator, so the stream can start at any offset.
 */
public final class GeneratedBytes extends InputStream {

  private static final int BLOCK = 1 << 16;

  private final long seed;
  private final long end;
  private long position;
  private final byte[] block = new byte[BLOCK];
  private long blockIndex = -1;

  public GeneratedBytes(long seed, long from, long end) {
    this.seed = seed;
    this.position = from;
    this.end = end;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    if (position >= end) {
      return -1;
    }
    long index = position / BLOCK;
    if (index != blockIndex) {
      new SplittableRandom(seed * 1_000_003 + index).nextBytes(block);
      blockIndex = index;
    }
    int inBlock = (int) (position % BLOCK);
    int n = (int) Math.min(Math.min(length, BLOCK - inBlock), end - position);
    System.arraycopy(block, inBlock, buffer, offset, n);
    position += n;
    return n;
  }
}
