package org.parley.client.internal.attachments;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * EXIF's Orientation tag (TIFF tag 0x0112 in IFD0): 1 is upright; 2–8 say how the stored pixels are mirrored or
 * rotated relative to how the picture is meant to be seen. Read from EXIF blocks, and written as the only tag of the
 * minimal EXIF block the metadata stripper leaves (docs/decisions/0121-attachments-client.md).
 */
final class ExifOrientation {

  static final int UPRIGHT = 1;
  private static final int ORIENTATION_TAG = 0x0112;
  private static final int TYPE_SHORT = 3;

  private ExifOrientation() {}

  /** Whether the picture is seen with width and height exchanged (orientations 5–8 turn it by 90°). */
  static boolean swapsSides(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  /** The orientation in a TIFF structure (EXIF without its "Exif\0\0" prefix); upright if absent or malformed. */
  static int fromTiff(byte[] tiff, int offset, int length) {
    if (length < 8) {
      return UPRIGHT;
    }
    ByteBuffer bytes = ByteBuffer.wrap(tiff, offset, length).slice();
    if (tiff[offset] == 'I' && tiff[offset + 1] == 'I') {
      bytes.order(ByteOrder.LITTLE_ENDIAN);
    } else if (tiff[offset] != 'M' || tiff[offset + 1] != 'M') {
      return UPRIGHT;
    }
    if (bytes.getShort(2) != 42) {
      return UPRIGHT;
    }
    long ifd = Integer.toUnsignedLong(bytes.getInt(4));
    if (ifd > length - 2) {
      return UPRIGHT;
    }
    int entries = Short.toUnsignedInt(bytes.getShort((int) ifd));
    for (int i = 0; i < entries; i++) {
      int entry = (int) ifd + 2 + 12 * i;
      if (entry + 12 > length) {
        return UPRIGHT;
      }
      if (Short.toUnsignedInt(bytes.getShort(entry)) == ORIENTATION_TAG
          && Short.toUnsignedInt(bytes.getShort(entry + 2)) == TYPE_SHORT) {
        int value = Short.toUnsignedInt(bytes.getShort(entry + 8));
        return value >= 1 && value <= 8 ? value : UPRIGHT;
      }
    }
    return UPRIGHT;
  }

  /** A big-endian TIFF structure whose IFD0 holds the orientation tag and nothing else: 26 bytes. */
  static byte[] tiffWithOnly(int orientation) {
    if (orientation < 1 || orientation > 8) {
      throw new IllegalArgumentException("EXIF orientations are 1..8: " + orientation);
    }
    return ByteBuffer.allocate(26)
        .put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8)   // header, IFD0 at 8
        .putShort((short) 1)                                              // one entry
        .putShort((short) ORIENTATION_TAG).putShort((short) TYPE_SHORT).putInt(1)
        .putShort((short) orientation).putShort((short) 0)                // value, left-justified
        .putInt(0)                                                        // no IFD1 (no EXIF thumbnail)
        .array();
  }
}
