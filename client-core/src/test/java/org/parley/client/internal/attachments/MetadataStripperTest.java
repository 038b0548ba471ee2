package org.parley.client.internal.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.parley.client.internal.attachments.TestPictures.chunk;
import static org.parley.client.internal.attachments.TestPictures.segment;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.iptc.IptcDirectory;
import com.drew.metadata.jfif.JfifDirectory;
import com.drew.metadata.jpeg.JpegCommentDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.InvalidInputException;

/**
 * Metadata is checked with two readers nobody here wrote: metadata-extractor and exiftool (Debian's
 * libimage-exiftool-perl, installed by scripts/test-all.sh).
 */
class MetadataStripperTest {

  private static final String MARKER = "kitchen-table-marker";

  @TempDir
  Path dir;

  @BeforeAll
  static void exiftoolIsInstalled() {
    assertThat(onPath("exiftool"))
        .as("exiftool not found on PATH: install the Debian package 'libimage-exiftool-perl' (scripts/test-all.sh"
            + " does this)")
        .isNotNull();
  }

  @Test
  void aJpegLosesGpsExifXmpIptcAndCommentsAndKeepsItsPixelsAndOrientation() throws Exception {
    byte[] original = TestPictures.withSegments(TestPictures.jpeg(TestPictures.photo(120, 80, 1), false),
        segment(0xE1, TestPictures.exifWithGps(6)), segment(0xE1, TestPictures.xmp(MARKER)),
        segment(0xED, TestPictures.iptc("Paris")),
        segment(0xFE, ("shot at " + MARKER).getBytes(StandardCharsets.UTF_8)),
        segment(0xEC, "Ducky vendor data".getBytes(StandardCharsets.US_ASCII)));
    Metadata before = ImageMetadataReader.readMetadata(new ByteArrayInputStream(original));
    GpsDirectory gps = before.getFirstDirectoryOfType(GpsDirectory.class);
    assertThat(gps).as("the fixture has GPS").isNotNull();
    assertThat(gps.getGeoLocation().getLatitude()).isCloseTo(TestPictures.LATITUDE, within(1e-6));
    assertThat(gps.getGeoLocation().getLongitude()).isCloseTo(TestPictures.LONGITUDE, within(1e-6));
    assertThat(before.containsDirectoryOfType(XmpDirectory.class)).isTrue();
    assertThat(before.containsDirectoryOfType(IptcDirectory.class)).isTrue();
    assertThat(before.containsDirectoryOfType(JpegCommentDirectory.class)).isTrue();
    assertThat(exiftool(original)).contains("[GPS]", "[XMP-dc]", "[IPTC]", "Comment");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MetadataStripper.Stripped stripped = MetadataStripper.strip(new ByteArrayInputStream(original), out);
    byte[] clean = out.toByteArray();

    assertThat(stripped).isEqualTo(new MetadataStripper.Stripped(MetadataStripper.Format.JPEG, 6, 5));
    Metadata after = ImageMetadataReader.readMetadata(new ByteArrayInputStream(clean));
    assertThat(after.containsDirectoryOfType(GpsDirectory.class)).isFalse();
    assertThat(after.containsDirectoryOfType(XmpDirectory.class)).isFalse();
    assertThat(after.containsDirectoryOfType(IptcDirectory.class)).isFalse();
    assertThat(after.containsDirectoryOfType(JpegCommentDirectory.class)).isFalse();
    ExifIFD0Directory exif = after.getFirstDirectoryOfType(ExifIFD0Directory.class);
    assertThat(exif.getTagCount()).as("only the orientation is left in EXIF").isEqualTo(1);
    assertThat(exif.getInt(ExifIFD0Directory.TAG_ORIENTATION)).isEqualTo(6);
    assertThat(directoryNames(after)).as("nothing else is left")
        .containsOnly("JPEG", "JFIF", "Exif IFD0", "Huffman", "File Type");
    String exiftool = exiftool(clean);
    assertThat(exiftool).doesNotContain("GPS", "XMP", "IPTC", "Comment", "ParleyCam", "Paris", "Ducky")
        .contains("[IFD0]          Orientation                     : 6");
    assertThat(new String(clean, StandardCharsets.ISO_8859_1)).doesNotContain(MARKER, "Paris", "ParleyCam");

    assertThat(TestPictures.pixels(decode(clean))).as("pixels").isEqualTo(TestPictures.pixels(decode(original)));
    assertThat(Arrays.copyOfRange(clean, TestPictures.firstScan(clean), clean.length))
        .as("the compressed data is copied byte for byte")
        .isEqualTo(Arrays.copyOfRange(original, TestPictures.firstScan(original), original.length));
  }

  @Test
  void anUprightJpegGetsNoExifAtAll() throws Exception {
    byte[] original = TestPictures.withSegments(TestPictures.jpeg(TestPictures.photo(40, 30, 2), false),
        segment(0xE1, TestPictures.exifWithGps(1)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MetadataStripper.Stripped stripped = MetadataStripper.strip(new ByteArrayInputStream(original), out);
    assertThat(stripped.orientation()).isEqualTo(1);
    Metadata after = ImageMetadataReader.readMetadata(new ByteArrayInputStream(out.toByteArray()));
    assertThat(after.containsDirectoryOfType(ExifIFD0Directory.class)).isFalse();
    assertThat(exiftool(out.toByteArray())).doesNotContain("Orientation", "GPS");
  }

  @Test
  void progressiveScansWithMetadataBetweenThemAndTrailingDataAreHandled() throws Exception {
    byte[] progressive = TestPictures.jpeg(TestPictures.photo(96, 64, 3), true);
    // A comment between two scans, and a "motion photo" appended after the end marker.
    int secondScan = nextScan(progressive, TestPictures.firstScan(progressive) + 2);
    byte[] original = TestPictures.concat(Arrays.copyOf(progressive, secondScan),
        segment(0xFE, MARKER.getBytes(StandardCharsets.US_ASCII)),
        Arrays.copyOfRange(progressive, secondScan, progressive.length),
        ("ftypmp42 video with location " + MARKER).getBytes(StandardCharsets.US_ASCII));
    assertThat(TestPictures.pixels(decode(original))).isEqualTo(TestPictures.pixels(decode(progressive)));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MetadataStripper.Stripped stripped = MetadataStripper.strip(new ByteArrayInputStream(original), out);
    assertThat(stripped.removed()).isEqualTo(1);
    assertThat(out.toByteArray()).as("the comment and the appended data are gone; all else is as written")
        .isEqualTo(progressive);
  }

  @Test
  void aJfifThumbnailIsDroppedAndTheColourProfileKept() throws Exception {
    byte[] jpeg = TestPictures.jpeg(TestPictures.photo(40, 30, 4), false);
    int app0End = 4 + ((jpeg[4] & 0xff) << 8 | (jpeg[5] & 0xff));
    byte[] jfifWithThumbnail = TestPictures.concat("JFIF\0".getBytes(StandardCharsets.ISO_8859_1),
        new byte[] {1, 2, 0, 0, 1, 0, 1, 2, 1}, new byte[] {(byte) 200, 10, 10, 10, (byte) 200, 10});
    byte[] icc = TestPictures.concat("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1), new byte[] {1, 1},
        new byte[64]);
    byte[] original = TestPictures.concat(new byte[] {(byte) 0xFF, (byte) 0xD8}, segment(0xE0, jfifWithThumbnail),
        segment(0xE2, icc), Arrays.copyOfRange(jpeg, app0End, jpeg.length));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MetadataStripper.strip(new ByteArrayInputStream(original), out);
    byte[] clean = out.toByteArray();
    JfifDirectory jfif = ImageMetadataReader.readMetadata(new ByteArrayInputStream(clean))
        .getFirstDirectoryOfType(JfifDirectory.class);
    assertThat(jfif.getInt(JfifDirectory.TAG_THUMB_WIDTH)).isZero();
    assertThat(jfif.getInt(JfifDirectory.TAG_THUMB_HEIGHT)).isZero();
    assertThat(Arrays.copyOfRange(clean, 2, 2 + 18)).as("APP0 is 16 bytes long: no thumbnail pixels")
        .isEqualTo(segment(0xE0, TestPictures.concat(Arrays.copyOf(jfifWithThumbnail, 12), new byte[] {0, 0})));
    assertThat(indexOf(clean, segment(0xE2, icc))).as("the ICC profile is kept").isPositive();
  }

  @Test
  void aPngLosesTextXmpExifAndTimeAndKeepsItsPixelsAndOrientation() throws Exception {
    BufferedImage image = TestPictures.photo(50, 40, 5);
    byte[] exif = Arrays.copyOfRange(TestPictures.exifWithGps(8), 6, TestPictures.exifWithGps(8).length);
    byte[] original = TestPictures.withChunks(TestPictures.png(image),
        chunk("tEXt", ("Comment\0" + MARKER).getBytes(StandardCharsets.ISO_8859_1)),
        chunk("iTXt", TestPictures.concat("XML:com.adobe.xmp\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1),
            Arrays.copyOfRange(TestPictures.xmp(MARKER), 29, TestPictures.xmp(MARKER).length))),
        chunk("zTXt", "Location\0\0x".getBytes(StandardCharsets.ISO_8859_1)),
        chunk("tIME", new byte[] {0x07, (byte) 0xEA, 11, 28, 12, 0, 0}),
        chunk("eXIf", exif),
        chunk("pHYs", new byte[] {0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1}));
    Metadata before = ImageMetadataReader.readMetadata(new ByteArrayInputStream(original));
    assertThat(before.containsDirectoryOfType(GpsDirectory.class)).as("the fixture has GPS").isTrue();
    assertThat(exiftool(original)).contains("[GPS]", MARKER);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MetadataStripper.Stripped stripped = MetadataStripper.strip(new ByteArrayInputStream(original), out);
    byte[] clean = out.toByteArray();

    assertThat(stripped).isEqualTo(new MetadataStripper.Stripped(MetadataStripper.Format.PNG, 8, 5));
    assertThat(TestPictures.chunkTypes(clean)).containsExactly("IHDR", "pHYs", "eXIf", "IDAT", "IEND");
    Metadata after = ImageMetadataReader.readMetadata(new ByteArrayInputStream(clean));
    assertThat(after.containsDirectoryOfType(GpsDirectory.class)).isFalse();
    assertThat(after.containsDirectoryOfType(XmpDirectory.class)).isFalse();
    assertThat(after.getFirstDirectoryOfType(ExifIFD0Directory.class).getTagCount()).isEqualTo(1);
    assertThat(after.getFirstDirectoryOfType(ExifIFD0Directory.class).getInt(ExifIFD0Directory.TAG_ORIENTATION))
        .isEqualTo(8);
    for (PngDirectory png : after.getDirectoriesOfType(PngDirectory.class)) {
      assertThat(png.getName()).doesNotContain("tEXt", "iTXt", "zTXt", "tIME");
    }
    assertThat(exiftool(clean)).doesNotContain("GPS", MARKER, "XMP", "Location", "ModifyDate")
        .contains("Orientation                     : 8");
    assertThat(TestPictures.pixels(decode(clean))).isEqualTo(TestPictures.pixels(image));
  }

  @Test
  void otherFormatsAreCopiedUnchanged() throws Exception {
    byte[] gif = TestPictures.gif(TestPictures.quadrants(10, 10));
    byte[] text = "just some text, not a picture".getBytes(StandardCharsets.US_ASCII);
    for (byte[] file : List.of(gif, text, new byte[0], new byte[] {(byte) 0xFF})) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      MetadataStripper.Stripped stripped = MetadataStripper.strip(new ByteArrayInputStream(file), out);
      assertThat(stripped.format()).isEqualTo(MetadataStripper.Format.OTHER);
      assertThat(out.toByteArray()).isEqualTo(file);
    }
  }

  @Test
  void brokenJpegsAndPngsAreRefusedClearly() throws Exception {
    byte[] jpeg = TestPictures.jpeg(TestPictures.photo(40, 30, 6), false);
    byte[] png = TestPictures.png(TestPictures.photo(40, 30, 6));
    assertRefused(Arrays.copyOf(jpeg, jpeg.length - 2), "truncated");
    assertRefused(Arrays.copyOf(jpeg, 40), "truncated");
    int afterApp0 = 4 + ((jpeg[4] & 0xff) << 8 | (jpeg[5] & 0xff));
    assertRefused(TestPictures.concat(Arrays.copyOf(jpeg, afterApp0), new byte[] {0x12, 0x34}), "expected a marker");
    assertRefused(TestPictures.concat(Arrays.copyOf(jpeg, 2), new byte[] {(byte) 0xFF, (byte) 0xE1, 0, 1}),
        "has length 1");
    assertRefused(Arrays.copyOf(png, png.length - 5), "truncated");
    byte[] badType = png.clone();
    badType[12] = '1';
    assertRefused(badType, "not four letters");
    byte[] hugeChunk = png.clone();
    hugeChunk[8] = (byte) 0x80;
    assertRefused(hugeChunk, "claims");
  }

  private static void assertRefused(byte[] file, String message) {
    assertThatThrownBy(() -> MetadataStripper.strip(new ByteArrayInputStream(file), new ByteArrayOutputStream()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining(message);
  }

  private static int nextScan(byte[] jpeg, int from) {
    for (int i = from; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xDA) {
        return i;
      }
    }
    throw new AssertionError("no second scan");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static BufferedImage decode(byte[] picture) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(picture));
    assertThat(image).as("decodable").isNotNull();
    return image;
  }

  private static List<String> directoryNames(Metadata metadata) {
    return StreamSupport.stream(metadata.getDirectories().spliterator(), false).map(Directory::getName)
        .collect(Collectors.toList());
  }

  /** exiftool's listing of every tag with its group ("[GPS] GPSLatitude : ..."), numbers unconverted. */
  private String exiftool(byte[] picture) throws Exception {
    Path file = Files.createTempFile(dir, "picture", ".bin");
    Files.write(file, picture);
    Process process = new ProcessBuilder("exiftool", "-a", "-G1", "-n", file.toString())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(output).contains("[ExifTool]");
    return output;
  }

  private static Path onPath(String tool) {
    for (String path : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(path, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
