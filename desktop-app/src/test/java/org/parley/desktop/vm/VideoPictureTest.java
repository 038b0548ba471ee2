package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.client.api.calls.I420Frame;

/** The I420 → BGRA conversion and the hand-over that drops frames the UI thread has not drawn yet. */
class VideoPictureTest {

  private final List<Runnable> uiQueue = new ArrayList<>();
  private final List<VideoPicture.Buffer> drawn = new ArrayList<>();
  private final VideoPicture picture = new VideoPicture(uiQueue::add, drawn::add);

  /** A frame of one colour (studio-range Y, U, V), with row padding as libwebrtc's buffers have. */
  private static I420Frame solid(int w, int h, int y, int u, int v) {
    int strideY = w + 16;
    int strideC = w / 2 + 8;
    ByteBuffer py = filled(strideY * h, y);
    ByteBuffer pu = filled(strideC * h / 2, u);
    ByteBuffer pv = filled(strideC * h / 2, v);
    return new I420Frame(w, h, 0, py.asReadOnlyBuffer(), strideY, pu.asReadOnlyBuffer(), strideC,
        pv.asReadOnlyBuffer(), strideC);
  }

  private static ByteBuffer filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return ByteBuffer.allocateDirect(n).put(b).flip();
  }

  private static int[] bgraAt(VideoPicture.Buffer b, int x, int y) {
    int at = (y * b.width() + x) * 4;
    ByteBuffer p = b.pixels();
    return new int[] {p.get(at) & 0xff, p.get(at + 1) & 0xff, p.get(at + 2) & 0xff, p.get(at + 3) & 0xff};
  }

  @Test
  void bt601StudioColoursBecomeFullRangeBgra() {
    // White, yellow, blue and black of the test pattern's bars.
    assertThat(convert(235, 128, 128)).containsExactly(255, 255, 255, 255);
    int[] yellow = convert(210, 16, 146);
    assertThat(yellow[0]).isLessThan(20); // blue
    assertThat(yellow[1]).isGreaterThan(235);
    assertThat(yellow[2]).isGreaterThan(235);
    int[] blue = convert(41, 240, 110);
    assertThat(blue[0]).isGreaterThan(235);
    assertThat(blue[1]).isLessThan(20);
    assertThat(blue[2]).isLessThan(20);
    assertThat(convert(16, 128, 128)).containsExactly(0, 0, 0, 255);
  }

  private int[] convert(int y, int u, int v) {
    VideoPicture.Buffer out = new VideoPicture.Buffer();
    picture.convert(solid(32, 16, y, u, v), out);
    assertThat(out.width()).isEqualTo(32);
    assertThat(out.height()).isEqualTo(16);
    assertThat(bgraAt(out, 31, 15)).isEqualTo(bgraAt(out, 0, 0));
    return bgraAt(out, 5, 7);
  }

  @Test
  void framesTheUiThreadHasNotDrawnAreReplacedNotQueued() {
    picture.frame(solid(32, 16, 16, 128, 128)); // black
    picture.frame(solid(32, 16, 126, 128, 128)); // grey
    picture.frame(solid(32, 16, 235, 128, 128)); // white, the newest
    assertThat(uiQueue).hasSize(1);
    assertThat(picture.converted()).isEqualTo(3);
    uiQueue.remove(0).run();
    assertThat(drawn).hasSize(1);
    assertThat(bgraAt(drawn.get(0), 3, 3)).containsExactly(255, 255, 255, 255);
    assertThat(picture.shown()).isEqualTo(1);

    // The buffer on screen is left alone while the next frames are written.
    VideoPicture.Buffer onScreen = drawn.get(0);
    picture.frame(solid(32, 16, 16, 128, 128));
    picture.frame(solid(32, 16, 16, 128, 128));
    assertThat(bgraAt(onScreen, 3, 3)).containsExactly(255, 255, 255, 255);
    assertThat(uiQueue).hasSize(1);
    uiQueue.remove(0).run();
    assertThat(drawn.get(1)).isNotSameAs(onScreen);
    assertThat(bgraAt(drawn.get(1), 3, 3)).containsExactly(0, 0, 0, 255);

    // A new size (the sender adapted) gets buffers of that size.
    picture.frame(solid(64, 32, 235, 128, 128));
    uiQueue.remove(0).run();
    assertThat(drawn.get(2).width()).isEqualTo(64);
    assertThat(drawn.get(2).pixels().capacity()).isEqualTo(64 * 32 * 4);
  }
}
