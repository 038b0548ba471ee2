package org.parley.client.internal.voice;

/**
 * The page checksum of RFC 3533 (section 6): CRC-32 with generator 0x04c11db7, initial value 0, no bit reflection
 * and no final XOR, computed over the whole page with its checksum field set to zero. (Not java.util.zip.CRC32,
 * which reflects bits and inverts the result.)
 */
final class OggCrc {

  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int r = i << 24;
      for (int bit = 0; bit < 8; bit++) {
        r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04c11db7 : r << 1;
      }
      TABLE[i] = r;
    }
  }

  private OggCrc() {}

  static int of(byte[] data, int offset, int length) {
    int crc = 0;
    for (int i = offset; i < offset + length; i++) {
      crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ data[i]) & 0xff];
    }
    return crc;
  }
}
