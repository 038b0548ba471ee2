package org.parley.client.api.calls;

import java.nio.ByteBuffer;

/**
 * One picture in I420 (planar Y, then U and V at half width and height). The buffers are libwebrtc's own memory,
 * lent for the duration of {@link VideoFrameListener} call only: read them there, or copy what you keep
 * ({@link #toBytes()}). Read-only.
 *
 * @param timestampNanos capture time (monotonic, the sender's clock for local frames, ours for remote ones)
 */
public record I420Frame(int width, int height, long timestampNanos, ByteBuffer y, int strideY, ByteBuffer u,
    int strideU, ByteBuffer v, int strideV) {

  public int chromaWidth() {
    return (width + 1) / 2;
  }

  public int chromaHeight() {
    return (height + 1) / 2;
  }

  /** The picture packed without padding (Y, U, V), as in a y4m frame. */
  public byte[] toBytes() {
    int cw = chromaWidth();
    int ch = chromaHeight();
    byte[] out = new byte[width * height + 2 * cw * ch];
    int at = copyPlane(y, strideY, width, height, out, 0);
    at = copyPlane(u, strideU, cw, ch, out, at);
    copyPlane(v, strideV, cw, ch, out, at);
    return out;
  }

  private static int copyPlane(ByteBuffer plane, int stride, int w, int h, byte[] out, int at) {
    ByteBuffer src = plane.duplicate();
    for (int row = 0; row < h; row++) {
      src.position(row * stride);
      src.get(out, at, w);
      at += w;
    }
    return at;
  }
}
