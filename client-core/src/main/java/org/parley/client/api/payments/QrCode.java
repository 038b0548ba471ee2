package org.parley.client.api.payments;

import java.util.BitSet;

/**
 * A QR code's modules, without the quiet zone (draw at least 4 light modules around it).
 *
 * @param size modules per side
 */
public record QrCode(String text, int size, BitSet dark) {

  public QrCode {
    if (size < 21 || size > 177) {
      throw new IllegalArgumentException("a QR code has 21 to 177 modules per side, not " + size);
    }
    dark = (BitSet) dark.clone();
  }

  /** Whether the module in column {@code x}, row {@code y} is dark. */
  public boolean isDark(int x, int y) {
    if (x < 0 || y < 0 || x >= size || y >= size) {
      throw new IndexOutOfBoundsException("module " + x + "," + y + " outside a " + size + "×" + size + " code");
    }
    return dark.get(y * size + x);
  }

  @Override
  public BitSet dark() {
    return (BitSet) dark.clone();
  }
}
