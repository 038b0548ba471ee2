package org.parley.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Files for attachment tests: random content, SHA-256, directory listings (hidden files included). */
final class TestFiles {

  private TestFiles() {}

  /** {@code size} random bytes (seeded: a failure can be reproduced) in a new file {@code name} under {@code dir}. */
  static Path random(Path dir, String name, long size, long seed) throws IOException {
    Path file = dir.resolve(name);
    Random random = new Random(seed);
    byte[] buffer = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= buffer.length) {
        random.nextBytes(buffer);
        out.write(buffer, 0, (int) Math.min(buffer.length, left));
      }
    }
    return file;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A 300x200 JPEG of coloured squares with GPS coordinates in its EXIF, written by exiftool. */
  static Path pictureWithGps(Path dir, String name) throws IOException, InterruptedException {
    BufferedImage image = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(300);
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 300; x++) {
        image.setRGB(x, y, (x / 20 * 40 + y / 20 * 7 + random.nextInt(8)) * 0x010203 & 0xffffff);
      }
    }
    Path file = dir.resolve(name);
    ImageIO.write(image, "jpg", file.toFile());
    exiftool("-overwrite_original", "-GPSLatitude=47.3769", "-GPSLatitudeRef=N", "-GPSLongitude=8.5417",
        "-GPSLongitudeRef=E", file.toString());
    return file;
  }

  /** The GPS position exiftool reads in {@code file}, "" when there is none. */
  static String gpsOf(Path file) throws IOException, InterruptedException {
    return exiftool("-s3", "-GPSPosition", file.toString());
  }

  private static String exiftool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("exiftool");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (process.waitFor() != 0) {
      throw new IOException("exiftool " + String.join(" ", args) + ": " + out);
    }
    return out;
  }

  /** Every entry of {@code dir}, hidden and temporary files included. */
  static List<Path> entries(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.toList();
    }
  }
}
