package org.parley.desktop.vm;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes pictures for the screen, off the UI thread. A 50-megapixel photo would take 200 MB as pixels: the
 * decoder reads only every n-th pixel of every n-th row (ImageIO's source subsampling), so memory follows the size
 * on screen, then scales smoothly to the exact size.
 */
public final class Pictures {

  /** Nothing larger than this many pixels a side is decoded, whatever is asked. */
  static final int MAX_SIDE = 4096;
  /**
   * Pictures claiming more pixels than this are not decoded (a few bytes of header can claim billions; reading them
   * even subsampled takes minutes). 50-megapixel photos are well inside.
   */
  static final long MAX_SOURCE_PIXELS = 250_000_000L;

  private Pictures() {}

  /** The picture in {@code in}, scaled down (never up) to fit {@code maxWidth × maxHeight}, aspect ratio kept. */
  public static Pixels decode(InputStream in, int maxWidth, int maxHeight) throws IOException {
    int boxW = Math.min(MAX_SIDE, Math.max(1, maxWidth));
    int boxH = Math.min(MAX_SIDE, Math.max(1, maxHeight));
    try (ImageInputStream stream = ImageIO.createImageInputStream(in)) {
      Iterator<ImageReader> readers = stream == null ? null : ImageIO.getImageReaders(stream);
      if (readers == null || !readers.hasNext()) {
        throw new IOException("Not a picture this app can show");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(stream, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if ((long) w * h > MAX_SOURCE_PIXELS) {
          throw new IOException("The picture is too large to show here (" + w + " × " + h + "); save it instead");
        }
        int[] target = Attachments.fit(w, h, boxW, boxH, 1);
        // Subsample to at most twice the target, so the smooth scaling below still has detail to work with.
        int step = Math.max(1, Math.min(w / (target[0] * 2), h / (target[1] * 2)));
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(step, step, 0, 0);
        BufferedImage read = reader.read(0, param);
        return toPixels(read, target[0], target[1]);
      } finally {
        reader.dispose();
      }
    } catch (RuntimeException e) {
      throw new IOException("Cannot decode the picture: " + e.getMessage(), e);
    }
  }

  static Pixels toPixels(BufferedImage source, int width, int height) {
    BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = scaled.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(source, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    int[] argb = scaled.getRGB(0, 0, width, height, null, 0, width);
    return new Pixels(width, height, argb);
  }

  /** Writes pixels (a pasted clipboard picture) as a PNG file. */
  public static void writePng(Pixels pixels, Path file) throws IOException {
    BufferedImage image = new BufferedImage(pixels.width(), pixels.height(), BufferedImage.TYPE_INT_ARGB);
    image.setRGB(0, 0, pixels.width(), pixels.height(), pixels.argb(), 0, pixels.width());
    try (OutputStream out = Files.newOutputStream(file)) {
      if (!ImageIO.write(image, "png", out)) {
        throw new IOException("No PNG writer");
      }
    }
  }
}
