package org.parley.demo.tools;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.PixelReader;

/** Writes a JavaFX image as an 8-bit RGB PNG (no javafx-swing or ImageIO needed). */
final class Png {

  private Png() {}

  static void write(Image image, Path file) throws IOException {
    int w = (int) image.getWidth();
    int h = (int) image.getHeight();
    PixelReader reader = image.getPixelReader();
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(raw)) {
      byte[] line = new byte[1 + w * 3];
      int[] argb = new int[w];
      for (int y = 0; y < h; y++) {
        reader.getPixels(0, y, w, 1, PixelFormat.getIntArgbInstance(), argb, 0, w);
        line[0] = 0;
        for (int x = 0; x < w; x++) {
          line[1 + x * 3] = (byte) (argb[x] >> 16);
          line[2 + x * 3] = (byte) (argb[x] >> 8);
          line[3 + x * 3] = (byte) argb[x];
        }
        z.write(line);
      }
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file); DataOutputStream d = new DataOutputStream(out)) {
      d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      DataOutputStream hd = new DataOutputStream(header);
      hd.writeInt(w);
      hd.writeInt(h);
      hd.writeByte(8);
      hd.writeByte(2);
      hd.writeByte(0);
      hd.writeByte(0);
      hd.writeByte(0);
      chunk(d, "IHDR", header.toByteArray());
      chunk(d, "IDAT", raw.toByteArray());
      chunk(d, "IEND", new byte[0]);
    }
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(data.length);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }
}
