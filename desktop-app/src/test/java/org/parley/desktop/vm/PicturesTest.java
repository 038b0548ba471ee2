package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pictures are decoded at the size they are shown, aspect ratio and content kept. */
class PicturesTest {

  @TempDir
  Path dir;

  private static int red(int argb) {
    return (argb >> 16) & 0xff;
  }

  private static int blue(int argb) {
    return argb & 0xff;
  }

  @Test
  void aLargePictureIsDecodedSmallWithItsAspectRatioAndContent() throws Exception {
    byte[] jpeg = TestPictures.encode(TestPictures.halves(4000, 3000), "jpg");
    Pixels p = Pictures.decode(new ByteArrayInputStream(jpeg), 280, 320);
    assertThat(p.width()).isEqualTo(280);
    assertThat(p.height()).isEqualTo(210);
    assertThat(p.argb()).hasSize(280 * 210);
    int left = p.argb()[105 * 280 + 20];
    int right = p.argb()[105 * 280 + 260];
    assertThat(red(left)).isGreaterThan(200);
    assertThat(blue(left)).isLessThan(60);
    assertThat(blue(right)).isGreaterThan(200);
    assertThat(red(right)).isLessThan(60);
  }

  @Test
  void aSmallPictureIsNotEnlarged() throws Exception {
    byte[] png = TestPictures.encode(TestPictures.halves(30, 20), "png");
    Pixels p = Pictures.decode(new ByteArrayInputStream(png), 280, 320);
    assertThat(new int[] {p.width(), p.height()}).containsExactly(30, 20);
  }

  @Test
  void somethingThatIsNotAPictureIsAClearError() {
    assertThatThrownBy(() -> Pictures.decode(new ByteArrayInputStream("%PDF-1.7 hello".getBytes()), 100, 100))
        .isInstanceOf(IOException.class).hasMessageContaining("Not a picture");
  }

  @Test
  void aHeaderClaimingBillionsOfPixelsIsRefusedBeforeDecoding() throws Exception {
    byte[] png = TestPictures.encode(TestPictures.halves(8, 8), "png");
    // IHDR starts at byte 16: width and height, then its CRC over type and data (bytes 12..28) at 29.
    ByteBuffer b = ByteBuffer.wrap(png);
    b.putInt(16, 60_000).putInt(20, 60_000);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    b.putInt(29, (int) crc.getValue());
    assertThatThrownBy(() -> Pictures.decode(new ByteArrayInputStream(png), 280, 320))
        .isInstanceOf(IOException.class).hasMessageContaining("too large to show");
  }

  @Test
  void pastedPixelsAreWrittenAsAPngThatReadsBack() throws Exception {
    int[] argb = new int[6];
    Arrays.fill(argb, 0xff00ff00);
    Path file = dir.resolve("p.png");
    Pictures.writePng(new Pixels(3, 2, argb), file);
    var back = ImageIO.read(file.toFile());
    assertThat(back.getWidth()).isEqualTo(3);
    assertThat(back.getRGB(2, 1)).isEqualTo(0xff00ff00);
    assertThat(Files.size(file)).isPositive();
  }
}
