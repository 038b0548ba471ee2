package org.parley.client.internal.calls;

import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrameBuffer;
import java.nio.ByteBuffer;
import org.parley.client.internal.screen.ScreenCapture;

/**
 * Frames of the screen: each one captured ({@link ScreenCapture}) and converted once, RGB → I420 (BT.601 studio
 * range, chroma as the mean of each 2×2 block), straight into a buffer libwebrtc allocated. Odd widths and heights
 * lose their last column or row (I420 wants even sizes); {@link LocalVideo} then scales frames above the cap down.
 */
final class ScreenFrames implements LocalVideo.FrameSupplier {

  private final ScreenCapture capture;

  ScreenFrames(ScreenCapture capture) {
    this.capture = capture;
  }

  @Override
  public VideoFrameBuffer frame(int n) {
    ScreenCapture.Pixels p = capture.grab();
    int w = p.width() & ~1;
    int h = p.height() & ~1;
    NativeI420Buffer buffer = NativeI420Buffer.allocate(w, h);
    toI420(p.rgb(), p.offset(), p.stride(), w, h, buffer.getDataY(), buffer.getStrideY(), buffer.getDataU(),
        buffer.getStrideU(), buffer.getDataV(), buffer.getStrideV());
    return buffer;
  }

  /** Converts {@code w × h} (both even) {@code 0xRRGGBB} pixels into I420 planes. */
  static void toI420(int[] rgb, int offset, int stride, int w, int h, ByteBuffer y, int strideY, ByteBuffer u,
      int strideU, ByteBuffer v, int strideV) {
    byte[] rowY0 = new byte[w];
    byte[] rowY1 = new byte[w];
    byte[] rowU = new byte[w / 2];
    byte[] rowV = new byte[w / 2];
    for (int row = 0; row < h; row += 2) {
      int top = offset + row * stride;
      int bottom = top + stride;
      for (int x = 0; x < w; x += 2) {
        int sumR = 0;
        int sumG = 0;
        int sumB = 0;
        for (int k = 0; k < 4; k++) {
          int px = rgb[(k < 2 ? top : bottom) + x + (k & 1)];
          int r = (px >> 16) & 0xff;
          int g = (px >> 8) & 0xff;
          int b = px & 0xff;
          sumR += r;
          sumG += g;
          sumB += b;
          byte luma = (byte) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
          (k < 2 ? rowY0 : rowY1)[x + (k & 1)] = luma;
        }
        int r = sumR >> 2;
        int g = sumG >> 2;
        int b = sumB >> 2;
        rowU[x / 2] = (byte) (((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
        rowV[x / 2] = (byte) (((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);
      }
      y.put(row * strideY, rowY0);
      y.put((row + 1) * strideY, rowY1);
      u.put(row / 2 * strideU, rowU);
      v.put(row / 2 * strideV, rowV);
    }
  }
}
