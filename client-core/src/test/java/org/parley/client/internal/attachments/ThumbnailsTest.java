package org.parley.client.internal.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.client.internal.attachments.TestPictures.BLUE;
import static org.parley.client.internal.attachments.TestPictures.GREEN;
import static org.parley.client.internal.attachments.TestPictures.RED;
import static org.parley.client.internal.attachments.TestPictures.YELLOW;
import static org.parley.client.internal.attachments.TestPictures.segment;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.InvalidInputException;

class ThumbnailsTest {

  @TempDir
  Path dir;

  @Test
  void aPhotoGetsASmallJpegOfSixtyFourPixelsAndItsSizeIsReported() throws Exception {
    Path photo = write("photo.jpg", TestPictures.jpeg(TestPictures.photo(1200, 800, 7), false));
    Thumbnail thumbnail = Thumbnails.DEFAULT.of(photo);
    assertThat(thumbnail.width()).isEqualTo(1200);
    assertThat(thumbnail.height()).isEqualTo(800);
    assertThat(thumbnail.contentType()).isEqualTo("image/jpeg");
    assertThat(thumbnail.jpeg().length).isLessThanOrEqualTo(4096);
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumbnail.jpeg()));
    assertThat(small.getWidth()).isEqualTo(64);
    assertThat(small.getHeight()).isEqualTo(43);
    assertThat(ImageMetadataReader.readMetadata(new ByteArrayInputStream(thumbnail.jpeg()))
        .containsDirectoryOfType(ExifIFD0Directory.class)).as("a thumbnail carries no EXIF").isFalse();
  }

  @Test
  void everyExifOrientationIsAppliedAsTheExifSpecificationDescribesIt() throws Exception {
    // Where the stored top-left (red) and top-right (green) corners are seen, from the EXIF text for each value:
    // "the 0th row is at the visual <side>, the 0th column at the visual <side>".
    Map<Integer, String[]> seen = Map.of(
        1, new String[] {"TL", "TR"}, 2, new String[] {"TR", "TL"}, 3, new String[] {"BR", "BL"},
        4, new String[] {"BL", "BR"}, 5, new String[] {"TL", "BL"}, 6, new String[] {"TR", "BR"},
        7, new String[] {"BR", "TR"}, 8, new String[] {"BL", "TL"});
    byte[] stored = TestPictures.jpeg(TestPictures.quadrants(400, 200), false);
    for (int orientation = 1; orientation <= 8; orientation++) {
      Path file = write("o" + orientation + ".jpg",
          TestPictures.withSegments(stored, segment(0xE1, TestPictures.exifWithGps(orientation))));
      Thumbnail thumbnail = Thumbnails.DEFAULT.of(file);
      boolean turned = orientation >= 5;
      assertThat(thumbnail.width()).as("width, orientation %d", orientation).isEqualTo(turned ? 200 : 400);
      assertThat(thumbnail.height()).as("height, orientation %d", orientation).isEqualTo(turned ? 400 : 200);
      BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumbnail.jpeg()));
      assertThat(Math.max(small.getWidth(), small.getHeight())).isEqualTo(64);
      assertThat(small.getWidth() > small.getHeight()).isEqualTo(!turned);
      String red = seen.get(orientation)[0];
      String green = seen.get(orientation)[1];
      assertThat(corner(small, red)).as("red corner, orientation %d", orientation).isEqualTo(RED);
      assertThat(corner(small, green)).as("green corner, orientation %d", orientation).isEqualTo(GREEN);
      String[] rest = Arrays.stream(new String[] {"TL", "TR", "BL", "BR"})
          .filter(c -> !c.equals(red) && !c.equals(green)).toArray(String[]::new);
      assertThat(new int[] {corner(small, rest[0]), corner(small, rest[1])}).containsExactlyInAnyOrder(BLUE, YELLOW);
    }
  }

  @Test
  void transparencyIsShownOnWhiteAndGifAndPngAreRead() throws Exception {
    BufferedImage halfClear = new BufferedImage(100, 50, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 50; y++) {
      for (int x = 0; x < 100; x++) {
        halfClear.setRGB(x, y, x < 50 ? 0x00000000 : 0xFF0000FF);
      }
    }
    Thumbnail png = Thumbnails.DEFAULT.of(write("clear.png", TestPictures.png(halfClear)));
    assertThat(png.contentType()).isEqualTo("image/png");
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(png.jpeg()));
    assertThat(nearest(small.getRGB(5, 16))).isEqualTo(0xFFFFFF);
    assertThat(nearest(small.getRGB(58, 16))).isEqualTo(BLUE);

    Thumbnail gif = Thumbnails.DEFAULT.of(write("q.gif", TestPictures.gif(TestPictures.quadrants(80, 80))));
    assertThat(gif.contentType()).isEqualTo("image/gif");
    assertThat(gif.width()).isEqualTo(80);
    assertThat(ImageIO.getImageReadersByFormatName("webp").hasNext()).as("a WebP reader is installed").isTrue();
  }

  @Test
  void aCmykJpegThatTheJdkCannotReadStillGetsAThumbnail() throws Exception {
    WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 120, 60, 4, null);
    for (int y = 0; y < 60; y++) {
      for (int x = 0; x < 120; x++) {
        cmyk.setPixel(x, y, new int[] {x * 2, y * 4, 0, 0});
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(cmyk, null, null), null);
    } finally {
      writer.dispose();
    }
    Thumbnail thumbnail = Thumbnails.DEFAULT.of(write("cmyk.jpg", bytes.toByteArray()));
    assertThat(thumbnail.width()).isEqualTo(120);
    assertThat(thumbnail.height()).isEqualTo(60);
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumbnail.jpeg()));
    assertThat(small.getWidth()).isEqualTo(64);
    assertThat(small.getHeight()).isEqualTo(32);
  }

  @Test
  void noisyPicturesStillFitInFourKilobytesAndTinyOnesAreNotEnlarged() throws Exception {
    BufferedImage noise = new BufferedImage(600, 600, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(8);
    for (int y = 0; y < 600; y++) {
      for (int x = 0; x < 600; x++) {
        noise.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    Thumbnail noisy = new Thumbnails(64, 1024, 100_000_000L).of(write("noise.png", TestPictures.png(noise)));
    assertThat(noisy.jpeg().length).isLessThanOrEqualTo(1024);
    assertThat(Thumbnails.DEFAULT.of(write("noise2.png", TestPictures.png(noise))).jpeg().length)
        .isLessThanOrEqualTo(4096);

    Thumbnail tiny = Thumbnails.DEFAULT.of(write("tiny.png", TestPictures.png(TestPictures.quadrants(10, 5))));
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(tiny.jpeg()));
    assertThat(small.getWidth()).isEqualTo(10);
    assertThat(small.getHeight()).isEqualTo(5);
  }

  @Test
  void filesThatAreNotPicturesOrAreBrokenAreRefusedClearly() throws Exception {
    Path text = write("notes.txt", "not a picture at all".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> Thumbnails.DEFAULT.of(text)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("notes.txt is not a picture");
    byte[] jpeg = TestPictures.jpeg(TestPictures.photo(200, 100, 9), false);
    Path cut = write("cut.jpg", Arrays.copyOf(jpeg, 300));
    assertThatThrownBy(() -> Thumbnails.DEFAULT.of(cut)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cut.jpg cannot be decoded");
    Path empty = write("empty.png", new byte[0]);
    assertThatThrownBy(() -> Thumbnails.DEFAULT.of(empty)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is not a picture");
  }

  @Test
  void decompressionBombsAreRefusedFromTheirHeaderBeforeDecoding() throws Exception {
    // A PNG that claims 100,000 × 100,000 pixels: 40 GB as pixels, a few dozen bytes as a file.
    byte[] header = ByteBuffer.allocate(13).putInt(100_000).putInt(100_000).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0).array();
    byte[] bomb = TestPictures.concat(PngStripper.SIGNATURE, TestPictures.chunk("IHDR", header),
        TestPictures.chunk("IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}),
        TestPictures.chunk("IEND", new byte[0]));
    Path png = write("bomb.png", bomb);
    assertThatThrownBy(() -> Thumbnails.DEFAULT.of(png)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("100000×100000 pixels").hasMessageContaining("sent as files");

    // A JPEG whose frame header claims 60,000 × 60,000.
    byte[] jpeg = TestPictures.jpeg(TestPictures.photo(20, 10, 10), false);
    int sof = TestPictures.indexOfMarker(jpeg, 0xC0);
    ByteBuffer.wrap(jpeg, sof + 5, 4).putShort((short) 60_000).putShort((short) 60_000);
    Path big = write("bomb.jpg", jpeg);
    assertThatThrownBy(() -> Thumbnails.DEFAULT.of(big)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("60000×60000 pixels");

    Path fine = write("fine.png", TestPictures.png(TestPictures.quadrants(200, 100)));
    assertThatThrownBy(() -> new Thumbnails(64, 4096, 19_999).of(fine)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("200×100");
    assertThat(new Thumbnails(64, 4096, 20_000).of(fine).width()).isEqualTo(200);
  }

  /** The colour of the pixel 3 in from a corner, snapped to the nearest pure test colour. */
  private static int corner(BufferedImage image, String corner) {
    int x = corner.charAt(1) == 'L' ? 3 : image.getWidth() - 4;
    int y = corner.charAt(0) == 'T' ? 3 : image.getHeight() - 4;
    return nearest(image.getRGB(x, y));
  }

  private static int nearest(int rgb) {
    int best = 0;
    long bestDistance = Long.MAX_VALUE;
    for (int candidate : new int[] {RED, GREEN, BLUE, YELLOW, 0xFFFFFF, 0x000000}) {
      long distance = 0;
      for (int shift = 0; shift <= 16; shift += 8) {
        long d = (rgb >> shift & 0xff) - (candidate >> shift & 0xff);
        distance += d * d;
      }
      if (distance < bestDistance) {
        bestDistance = distance;
        best = candidate;
      }
    }
    return best;
  }

  private Path write(String name, byte[] bytes) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }
}
