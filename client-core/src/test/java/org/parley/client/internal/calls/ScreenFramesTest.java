package org.parley.client.internal.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.assertj.core.data.Offset.offset;

import java.awt.GraphicsEnvironment;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.client.api.calls.VideoSource;
import org.parley.client.internal.screen.ScreenCapture;

/** Screen pixels into I420, and what screen sharing says without a display. */
class ScreenFramesTest {

  @Test
  void rgbBecomesTheSameStudioRangeYuvAsThePatternsBars() {
    // Four 2x2 blocks in a row (white, red, yellow, blue) inside a wider, offset array (a stride).
    int[] colours = {0xffffff, 0xff0000, 0xffff00, 0x0000ff};
    int w = 8;
    int h = 2;
    int stride = 11;
    int offset = 3;
    int[] rgb = new int[offset + stride * h];
    for (int row = 0; row < h; row++) {
      for (int x = 0; x < w; x++) {
        rgb[offset + row * stride + x] = colours[x / 2];
      }
    }
    ByteBuffer y = ByteBuffer.allocate(w * h);
    ByteBuffer u = ByteBuffer.allocate(w / 2);
    ByteBuffer v = ByteBuffer.allocate(w / 2);
    ScreenFrames.toI420(rgb, offset, stride, w, h, y, w, u, w / 2, v, w / 2);
    int[][] expected = {TestPattern.BARS[0], TestPattern.BARS[5], TestPattern.BARS[1], TestPattern.BARS[6]};
    for (int block = 0; block < 4; block++) {
      for (int k = 0; k < 4; k++) {
        int luma = y.get((k / 2) * w + block * 2 + (k % 2)) & 0xff;
        assertThat(luma).as("Y of block %d", block).isCloseTo(expected[block][0], offset(1));
      }
      assertThat(u.get(block) & 0xff).as("U of block %d", block).isCloseTo(expected[block][1], offset(1));
      assertThat(v.get(block) & 0xff).as("V of block %d", block).isCloseTo(expected[block][2], offset(1));
    }
  }

  @Test
  void chromaIsTheMeanOfEachTwoByTwoBlock() {
    // Black and white pixels in one block: grey chroma, two luma levels.
    int[] rgb = {0x000000, 0xffffff, 0xffffff, 0x000000};
    ByteBuffer y = ByteBuffer.allocate(4);
    ByteBuffer u = ByteBuffer.allocate(1);
    ByteBuffer v = ByteBuffer.allocate(1);
    ScreenFrames.toI420(rgb, 0, 2, 2, 2, y, 2, u, 1, v, 1);
    assertThat(new int[] {y.get(0) & 0xff, y.get(1) & 0xff, y.get(2) & 0xff, y.get(3) & 0xff})
        .containsExactly(16, 235, 235, 16);
    assertThat(u.get(0) & 0xff).isCloseTo(128, offset(1));
    assertThat(v.get(0) & 0xff).isCloseTo(128, offset(1));
  }

  @Test
  void withoutADisplayThereIsNoScreenAndSharingSaysWhy() {
    assumeThat(GraphicsEnvironment.isHeadless()).as("this JVM has no display").isTrue();
    assertThat(ScreenCapture.screens()).isEmpty();
    assertThatThrownBy(() -> ScreenCapture.open(Optional.empty()))
        .isInstanceOf(ScreenCapture.NoScreenException.class).hasMessage(ScreenCapture.NO_DISPLAY);
  }

  @Test
  void screenSourcesCheckTheirRateAndArea() {
    assertThat(VideoSource.screen()).isEqualTo(new VideoSource.Screen(Optional.empty(), VideoSource.SCREEN_FPS));
    assertThatThrownBy(() -> new VideoSource.Screen(Optional.empty(), 30))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-15 fps");
    assertThatThrownBy(() -> VideoSource.window(0, 0, 8, 600))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16x16");
  }
}
