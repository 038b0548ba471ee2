package org.parley.client.internal.attachments;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.parley.client.api.InvalidInputException;

/**
 * Makes the small JPEG a message carries so the receiver shows something before the picture is downloaded
 * (docs/decisions/0121-attachments-client.md). Decodes with ImageIO (JPEG incl. CMYK/YCCK through TwelveMonkeys,
 * PNG, GIF, BMP, WebP), subsampled while decoding so memory stays small; applies the EXIF orientation; refuses
 * pictures whose header announces more pixels than {@code maxPixels} before decoding anything.
 */
public final class Thumbnails {

  /** Long side in pixels, at most this many bytes, and a 100-megapixel ceiling (a 108 MP phone photo is refused). */
  public static final Thumbnails DEFAULT = new Thumbnails(64, 4096, 100_000_000L);

  private static final float[] QUALITIES = {0.75f, 0.6f, 0.45f, 0.3f};
  /** Decoded pictures keep at least this many times the thumbnail's side, so averaging has pixels to work with. */
  private static final int OVERSAMPLING = 4;

  private final int longSide;
  private final int maxBytes;
  private final long maxPixels;

  public Thumbnails(int longSide, int maxBytes, long maxPixels) {
    if (longSide < 1 || maxBytes < 256 || maxPixels < 1) {
      throw new IllegalArgumentException("Thumbnails need a positive side, at least 256 bytes and a pixel limit");
    }
    this.longSide = longSide;
    this.maxBytes = maxBytes;
    this.maxPixels = maxPixels;
  }

  /** The thumbnail of {@code picture}; a file that is not a picture, or too large a picture, is refused. */
  public Thumbnail of(Path picture) throws IOException, InvalidInputException {
    int orientation;
    try (InputStream in = Files.newInputStream(picture)) {
      orientation = MetadataStripper.orientation(in);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(picture.toFile())) {
      if (in == null) {
        throw new IOException("Cannot read " + picture);
      }
      ImageReader reader = readerFor(in, picture);
      try {
        reader.setInput(in, true, false);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width < 1 || height < 1 || (long) width * height > maxPixels) {
          throw new InvalidInputException(picture.getFileName() + " is " + width + "×" + height + " pixels; pictures"
              + " of more than " + maxPixels + " pixels are sent as files, without a thumbnail");
        }
        BufferedImage decoded = decode(reader, width, height, picture);
        int[] pixels = Pixels.opaque(decoded);
        Pixels.Image upright = Pixels.orient(new Pixels.Image(pixels, decoded.getWidth(), decoded.getHeight()),
            orientation);
        boolean swapped = ExifOrientation.swapsSides(orientation);
        return new Thumbnail(encode(upright), swapped ? height : width, swapped ? width : height, mimeType(reader));
      } finally {
        reader.dispose();
      }
    }
  }

  private static ImageReader readerFor(ImageInputStream in, Path picture) throws InvalidInputException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new InvalidInputException(picture.getFileName() + " is not a picture Parley can read (JPEG, PNG, GIF,"
          + " WebP, BMP); send it as a file");
    }
    return readers.next();
  }

  private BufferedImage decode(ImageReader reader, int width, int height, Path picture)
      throws IOException, InvalidInputException {
    ImageReadParam param = reader.getDefaultReadParam();
    int step = Math.max(1, Math.max(width, height) / (longSide * OVERSAMPLING));
    param.setSourceSubsampling(step, step, 0, 0);
    try {
      return reader.read(0, param);
    } catch (IOException | RuntimeException broken) {
      // Decoders throw all sorts of runtime exceptions on damaged files; to the sender it is one problem.
      throw new InvalidInputException(picture.getFileName() + " cannot be decoded as a picture ("
          + broken.getMessage() + "); send it as a file", broken);
    }
  }

  private static String mimeType(ImageReader reader) {
    String[] types = reader.getOriginatingProvider() == null ? null : reader.getOriginatingProvider().getMIMETypes();
    return types != null && types.length > 0 ? types[0] : "application/octet-stream";
  }

  /** Scales to the long side and encodes, lowering quality (then size) until it fits in {@code maxBytes}. */
  private byte[] encode(Pixels.Image upright) throws IOException {
    int side = Math.min(longSide, Math.max(upright.width(), upright.height()));
    while (true) {
      Pixels.Image small = Pixels.scaleToLongSide(upright, side);
      for (float quality : QUALITIES) {
        byte[] jpeg = jpeg(small, quality);
        if (jpeg.length <= maxBytes) {
          return jpeg;
        }
      }
      if (side == 1) {
        throw new IllegalStateException("A 1-pixel JPEG does not fit in " + maxBytes + " bytes");
      }
      side = Math.max(1, side * 3 / 4);
    }
  }

  private static byte[] jpeg(Pixels.Image image, float quality) throws IOException {
    BufferedImage rgb = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(0, 0, image.width(), image.height(), image.pixels(), 0, image.width());
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(rgb, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
