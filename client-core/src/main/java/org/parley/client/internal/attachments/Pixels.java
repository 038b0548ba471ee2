package org.parley.client.internal.attachments;

import java.awt.image.BufferedImage;

/** The pixel work behind thumbnails, on plain RGB arrays: flatten, orient, shrink. */
final class Pixels {

  /** Packed 0xRRGGBB pixels, row by row. */
  record Image(int[] pixels, int width, int height) {}

  private Pixels() {}

  /** The picture's pixels as opaque RGB, transparency blended onto white (JPEG has no alpha; chats are light). */
  static int[] opaque(BufferedImage image) {
    int[] argb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    for (int i = 0; i < argb.length; i++) {
      int alpha = argb[i] >>> 24;
      int r = blendOnWhite(argb[i] >> 16 & 0xff, alpha);
      int g = blendOnWhite(argb[i] >> 8 & 0xff, alpha);
      int b = blendOnWhite(argb[i] & 0xff, alpha);
      argb[i] = r << 16 | g << 8 | b;
    }
    return argb;
  }

  private static int blendOnWhite(int channel, int alpha) {
    return (channel * alpha + 255 * (255 - alpha) + 127) / 255;
  }

  /**
   * The image as it is meant to be seen under EXIF orientation {@code orientation}: 2 mirrored, 3 turned 180°,
   * 4 flipped, 5 transposed, 6 turned 90° clockwise, 7 transversed, 8 turned 90° anticlockwise.
   */
  static Image orient(Image stored, int orientation) {
    int w = stored.width();
    int h = stored.height();
    if (orientation < 2 || orientation > 8) {
      return stored;
    }
    boolean swap = ExifOrientation.swapsSides(orientation);
    int outW = swap ? h : w;
    int outH = swap ? w : h;
    int[] out = new int[w * h];
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2: sx = w - 1 - x; sy = y; break;
          case 3: sx = w - 1 - x; sy = h - 1 - y; break;
          case 4: sx = x; sy = h - 1 - y; break;
          case 5: sx = y; sy = x; break;
          case 6: sx = y; sy = h - 1 - x; break;
          case 7: sx = w - 1 - y; sy = h - 1 - x; break;
          default: sx = w - 1 - y; sy = x; break; // 8
        }
        out[y * outW + x] = stored.pixels()[sy * w + sx];
      }
    }
    return new Image(out, outW, outH);
  }

  /**
   * Shrinks so the long side is {@code longSide} (never enlarges), each output pixel the average of the source
   * pixels it covers: sharper than one bilinear step and free of the aliasing of dropping pixels.
   */
  static Image scaleToLongSide(Image source, int longSide) {
    int w = source.width();
    int h = source.height();
    if (Math.max(w, h) <= longSide) {
      return source;
    }
    int outW = Math.max(1, (int) Math.round((double) w * longSide / Math.max(w, h)));
    int outH = Math.max(1, (int) Math.round((double) h * longSide / Math.max(w, h)));
    int[] out = new int[outW * outH];
    for (int y = 0; y < outH; y++) {
      int y0 = (int) ((long) y * h / outH);
      int y1 = Math.max(y0 + 1, (int) ((long) (y + 1) * h / outH));
      for (int x = 0; x < outW; x++) {
        int x0 = (int) ((long) x * w / outW);
        int x1 = Math.max(x0 + 1, (int) ((long) (x + 1) * w / outW));
        long r = 0;
        long g = 0;
        long b = 0;
        for (int sy = y0; sy < y1; sy++) {
          for (int sx = x0; sx < x1; sx++) {
            int p = source.pixels()[sy * w + sx];
            r += p >> 16 & 0xff;
            g += p >> 8 & 0xff;
            b += p & 0xff;
          }
        }
        long n = (long) (x1 - x0) * (y1 - y0);
        out[y * outW + x] = (int) ((r + n / 2) / n) << 16 | (int) ((g + n / 2) / n) << 8 | (int) ((b + n / 2) / n);
      }
    }
    return new Image(out, outW, outH);
  }
}
