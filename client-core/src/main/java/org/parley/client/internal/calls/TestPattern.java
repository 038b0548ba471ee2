package org.parley.client.internal.calls;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The synthetic video picture: seven colour bars on the top 55 %, a band with a box moving one step per frame, and
 * two rows of 16 black or white cells — the frame counter (16 bits), then the pattern's id and a check byte. Cells
 * and bars are large blocks, so the marker survives VP8 at low bitrates and the sender's downscaling, and a receiver
 * reads it back with {@link #read}. Colours are BT.601 studio-range 100 % bars.
 */
public final class TestPattern {

  /** What a frame of the pattern says. */
  public record Marker(int id, int counter) {}

  static final int CELLS = 16;
  /** Y, U, V of white, yellow, cyan, green, magenta, red, blue. */
  static final int[][] BARS = {
      {235, 128, 128}, {210, 16, 146}, {170, 166, 16}, {145, 54, 34}, {106, 202, 222}, {81, 90, 240},
      {41, 240, 110}};
  private static final int WHITE = 235;
  private static final int BLACK = 16;
  private static final int GREY = 128;

  private final int width;
  private final int height;
  private final int id;
  private final byte[] y;
  private final byte[] u;
  private final byte[] v;

  public TestPattern(int width, int height, int id) {
    this.width = width;
    this.height = height;
    this.id = id;
    int cw = (width + 1) / 2;
    int ch = (height + 1) / 2;
    this.y = new byte[width * height];
    this.u = new byte[cw * ch];
    this.v = new byte[cw * ch];
    Arrays.fill(u, (byte) GREY);
    Arrays.fill(v, (byte) GREY);
    for (int row = 0; row < barsEnd(height); row++) {
      for (int x = 0; x < width; x++) {
        int[] bar = BARS[x * BARS.length / width];
        y[row * width + x] = (byte) bar[0];
        if (row % 2 == 0 && x % 2 == 0) {
          u[row / 2 * cw + x / 2] = (byte) bar[1];
          v[row / 2 * cw + x / 2] = (byte) bar[2];
        }
      }
    }
  }

  static int barsEnd(int height) {
    return even(height * 55 / 100);
  }

  static int bandEnd(int height) {
    return even(height * 70 / 100);
  }

  static int counterEnd(int height) {
    return even(height * 85 / 100);
  }

  private static int even(int n) {
    return n & ~1;
  }

  /** Frame {@code counter} into the planes of an I420 picture of this pattern's size. */
  public void draw(int counter, ByteBuffer dy, int strideY, ByteBuffer du, int strideU, ByteBuffer dv,
      int strideV) {
    int c = counter & 0xffff;
    byte[] row = new byte[width];
    int barsEnd = barsEnd(height);
    int bandEnd = bandEnd(height);
    int counterEnd = counterEnd(height);
    int box = Math.max(2, width / 8);
    int boxX = (counter * Math.max(2, width / 64)) % (width - box);
    for (int r = 0; r < height; r++) {
      if (r < barsEnd) {
        System.arraycopy(y, r * width, row, 0, width);
      } else if (r < bandEnd) {
        Arrays.fill(row, (byte) GREY);
        Arrays.fill(row, boxX, boxX + box, (byte) WHITE);
      } else {
        int bits = r < counterEnd ? c : (id << 8) | check(id, c);
        for (int cell = 0; cell < CELLS; cell++) {
          boolean one = (bits >>> (CELLS - 1 - cell) & 1) == 1;
          Arrays.fill(row, cell * width / CELLS, (cell + 1) * width / CELLS, (byte) (one ? WHITE : BLACK));
        }
      }
      dy.put(r * strideY, row, 0, width);
    }
    int cw = (width + 1) / 2;
    for (int r = 0; r < (height + 1) / 2; r++) {
      du.put(r * strideU, u, r * cw, cw);
      dv.put(r * strideV, v, r * cw, cw);
    }
  }

  static int check(int id, int counter) {
    return (counter ^ (counter >>> 8) ^ id ^ 0x5a) & 0xff;
  }

  /**
   * The marker of a picture of the pattern at any size, or empty when the cells cannot be read with confidence or
   * their check byte does not match.
   */
  public static Optional<Marker> read(int width, int height, ByteBuffer dy, int strideY) {
    int counterStart = bandEnd(height);
    int idStart = counterEnd(height);
    RowBits counter = readRow(width, dy, strideY, counterStart, idStart);
    RowBits idAndCheck = readRow(width, dy, strideY, idStart, height);
    if (counter == null || idAndCheck == null) {
      return Optional.empty();
    }
    int id = idAndCheck.value >>> 8;
    if ((idAndCheck.value & 0xff) != check(id, counter.value)) {
      return Optional.empty();
    }
    return Optional.of(new Marker(id, counter.value));
  }

  private record RowBits(int value) {}

  private static RowBits readRow(int width, ByteBuffer dy, int strideY, int top, int bottom) {
    int h = bottom - top;
    int value = 0;
    for (int cell = 0; cell < CELLS; cell++) {
      int left = cell * width / CELLS;
      int w = (cell + 1) * width / CELLS - left;
      double mean = mean(dy, strideY, left + w / 4, top + h / 4, Math.max(1, w / 2), Math.max(1, h / 2));
      if (Math.abs(mean - GREY) < 40) {
        return null;
      }
      value = value << 1 | (mean > GREY ? 1 : 0);
    }
    return new RowBits(value);
  }

  /**
   * Whether the colour bars are there: each bar's mean chroma within {@code tolerance} of its colour (catches
   * swapped or shifted planes, which a marker in luma alone would not).
   */
  public static boolean barsMatch(int width, int height, ByteBuffer du, int strideU, ByteBuffer dv, int strideV,
      int tolerance) {
    int cw = (width + 1) / 2;
    int barsEnd = barsEnd(height) / 2;
    for (int bar = 0; bar < BARS.length; bar++) {
      int left = bar * cw / BARS.length;
      int w = (bar + 1) * cw / BARS.length - left;
      int x = left + w / 4;
      int bw = Math.max(1, w / 2);
      int top = barsEnd / 4;
      int bh = Math.max(1, barsEnd / 2);
      if (Math.abs(mean(du, strideU, x, top, bw, bh) - BARS[bar][1]) > tolerance
          || Math.abs(mean(dv, strideV, x, top, bw, bh) - BARS[bar][2]) > tolerance) {
        return false;
      }
    }
    return true;
  }

  private static double mean(ByteBuffer plane, int stride, int x, int y, int w, int h) {
    long sum = 0;
    for (int r = y; r < y + h; r++) {
      for (int c = x; c < x + w; c++) {
        sum += plane.get(r * stride + c) & 0xff;
      }
    }
    return (double) sum / (w * h);
  }
}
