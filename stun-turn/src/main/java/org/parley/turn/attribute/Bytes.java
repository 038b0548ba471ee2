package org.parley.turn.attribute;

import org.parley.turn.message.StunParseException;

final class Bytes {
  private Bytes() {}

  static void requireLength(int len, int expected, String what) throws StunParseException {
    if (len != expected) {
      throw new StunParseException(what + " must be " + expected + " bytes, got " + len);
    }
  }

  static int u32(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  static byte[] ofU32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  static long u64(byte[] b, int off) {
    return ((long) u32(b, off) << 32) | (u32(b, off + 4) & 0xFFFFFFFFL);
  }

  static byte[] ofU64(long v) {
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (v >>> (56 - 8 * i));
    }
    return out;
  }
}
