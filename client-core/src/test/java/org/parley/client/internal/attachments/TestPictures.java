package org.parley.client.internal.attachments;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Pictures made for the tests: pixels, JPEG and PNG files, and the metadata blocks cameras put into them. */
final class TestPictures {

  static final int RED = 0xFF0000;
  static final int GREEN = 0x00FF00;
  static final int BLUE = 0x0000FF;
  static final int YELLOW = 0xFFFF00;

  /** Latitude 48°51'29.6" N, longitude 2°17'40.2" E. */
  static final double LATITUDE = 48 + 51 / 60.0 + 29.6 / 3600;
  static final double LONGITUDE = 2 + 17 / 60.0 + 40.2 / 3600;

  private TestPictures() {}

  /** Four solid quadrants: red top left, green top right, blue bottom left, yellow bottom right. */
  static BufferedImage quadrants(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean right = x >= width / 2;
        boolean bottom = y >= height / 2;
        image.setRGB(x, y, bottom ? (right ? YELLOW : BLUE) : (right ? GREEN : RED));
      }
    }
    return image;
  }

  /** Smooth gradients with some noise, like a photo. */
  static BufferedImage photo(int width, int height, long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = Math.min(255, x * 255 / width + random.nextInt(20));
        int g = Math.min(255, y * 255 / height + random.nextInt(20));
        int b = Math.min(255, (x + y) * 127 / (width + height) + random.nextInt(20));
        image.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return image;
  }

  static byte[] jpeg(BufferedImage image, boolean progressive) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.9f);
      if (progressive) {
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    return bytes.toByteArray();
  }

  static byte[] gif(BufferedImage image) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "gif", bytes);
    return bytes.toByteArray();
  }

  /** One JPEG marker segment: 0xFF, marker, length, payload. */
  static byte[] segment(int marker, byte[] payload) {
    return ByteBuffer.allocate(4 + payload.length).put((byte) 0xFF).put((byte) marker)
        .putShort((short) (payload.length + 2)).put(payload).array();
  }

  /** The JPEG with {@code segments} inserted right after its first segment (the JDK writes JFIF's APP0 there). */
  static byte[] withSegments(byte[] jpeg, byte[]... segments) {
    int afterApp0 = 4 + ((jpeg[4] & 0xff) << 8 | (jpeg[5] & 0xff));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, afterApp0);
    for (byte[] segment : segments) {
      out.writeBytes(segment);
    }
    out.write(jpeg, afterApp0, jpeg.length - afterApp0);
    return out.toByteArray();
  }

  /** Index of the first scan (0xFF 0xDA) in a JPEG: what follows is compressed pixels. */
  static int firstScan(byte[] jpeg) {
    for (int i = 0; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xDA) {
        return i;
      }
    }
    throw new AssertionError("no scan");
  }

  /** Index of the first 0xFF {@code marker} in a JPEG. */
  static int indexOfMarker(byte[] jpeg, int marker) {
    for (int i = 0; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == marker) {
        return i;
      }
    }
    throw new AssertionError("no marker " + Integer.toHexString(marker));
  }

  /** An APP1 EXIF payload with a camera make, the orientation and a GPS position (little-endian TIFF). */
  static byte[] exifWithGps(int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(174).order(ByteOrder.LITTLE_ENDIAN);
    tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
    // IFD0 at 8: Make, Orientation, GPS IFD pointer.
    tiff.putShort((short) 3);
    entry(tiff, 0x010F, 2, 10, 50);
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    entry(tiff, 0x8825, 4, 1, 60);
    tiff.putInt(0);
    tiff.put("ParleyCam\0".getBytes(StandardCharsets.US_ASCII));
    // GPS IFD at 60.
    tiff.putShort((short) 5);
    tiff.putShort((short) 0x0000).putShort((short) 1).putInt(4).put(new byte[] {2, 3, 0, 0});
    tiff.putShort((short) 0x0001).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0});
    entry(tiff, 0x0002, 5, 3, 126);
    tiff.putShort((short) 0x0003).putShort((short) 2).putInt(2).put(new byte[] {'E', 0, 0, 0});
    entry(tiff, 0x0004, 5, 3, 150);
    tiff.putInt(0);
    tiff.putInt(48).putInt(1).putInt(51).putInt(1).putInt(296).putInt(10);
    tiff.putInt(2).putInt(1).putInt(17).putInt(1).putInt(402).putInt(10);
    return concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), tiff.array());
  }

  private static void entry(ByteBuffer tiff, int tag, int type, int count, int valueOrOffset) {
    tiff.putShort((short) tag).putShort((short) type).putInt(count).putInt(valueOrOffset);
  }

  /** An APP1 XMP payload that also names the position and a marker word. */
  static byte[] xmp(String marker) {
    String xml = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        + "<rdf:Description xmlns:exif='http://ns.adobe.com/exif/1.0/' xmlns:dc='http://purl.org/dc/elements/1.1/'"
        + " exif:GPSLatitude='48,51.4933N' exif:GPSLongitude='2,17.67E'><dc:description>" + marker
        + "</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>";
    return concat("http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1),
        xml.getBytes(StandardCharsets.UTF_8));
  }

  /** An APP13 Photoshop payload holding an IPTC record (2:90, city). */
  static byte[] iptc(String city) {
    byte[] cityBytes = city.getBytes(StandardCharsets.UTF_8);
    byte[] record = ByteBuffer.allocate(5 + cityBytes.length).put((byte) 0x1C).put((byte) 2).put((byte) 90)
        .putShort((short) cityBytes.length).put(cityBytes).array();
    // An image resource: signature, id 0x0404 (IPTC), empty name padded to even, size, data padded to even.
    byte[] resource = ByteBuffer.allocate(12 + record.length + record.length % 2)
        .put("8BIM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0x0404).putShort((short) 0)
        .putInt(record.length).put(record).array();
    return concat("Photoshop 3.0\0".getBytes(StandardCharsets.ISO_8859_1), resource);
  }

  /** One PNG chunk with its CRC. */
  static byte[] chunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
        .putInt((int) crc.getValue()).array();
  }

  /** The PNG with {@code chunks} inserted right after IHDR. */
  static byte[] withChunks(byte[] png, byte[]... chunks) {
    int afterHeader = 8 + 12 + 13;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, afterHeader);
    for (byte[] chunk : chunks) {
      out.writeBytes(chunk);
    }
    out.write(png, afterHeader, png.length - afterHeader);
    return out.toByteArray();
  }

  /** The chunk types of a PNG in order, checking each CRC. */
  static List<String> chunkTypes(byte[] png) {
    List<String> types = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(png, 8, png.length - 8);
    while (in.hasRemaining()) {
      int length = in.getInt();
      byte[] typeAndData = new byte[4 + length];
      in.get(typeAndData);
      CRC32 crc = new CRC32();
      crc.update(typeAndData);
      if ((int) crc.getValue() != in.getInt()) {
        throw new AssertionError("bad CRC in chunk " + new String(typeAndData, 0, 4, StandardCharsets.US_ASCII));
      }
      types.add(new String(typeAndData, 0, 4, StandardCharsets.US_ASCII));
    }
    return types;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }
}
