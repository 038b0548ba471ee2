package org.parley.desktop.vm;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.parley.client.api.calls.I420Frame;

/**
 * One video of a call (the peer's, or our preview) on its way to the screen. Each frame libwebrtc lends us is
 * converted once, on libwebrtc's thread, from I420 into a BGRA buffer (premultiplied; every pixel is opaque); the
 * newest finished buffer is handed to the UI thread. Three buffers take turns — the one being written, the newest
 * finished one, the one on screen — so neither thread waits for the other and nothing is allocated per frame. The
 * UI thread gets at most one pending hand-over: frames that arrive before it ran replace the waiting one (dropped,
 * never queued), so a busy UI thread shows fewer frames instead of lagging behind.
 */
public final class VideoPicture {

  /** A converted picture: {@code width × height} BGRA pixels, rows of {@code width * 4} bytes. */
  public static final class Buffer {
    private ByteBuffer pixels = ByteBuffer.allocateDirect(0);
    private int width;
    private int height;

    /** The pixels (a direct buffer; replaced by a new one when the size changes). */
    public ByteBuffer pixels() {
      return pixels;
    }

    public int width() {
      return width;
    }

    public int height() {
      return height;
    }

    void ensure(int w, int h) {
      if (w != width || h != height) {
        pixels = ByteBuffer.allocateDirect(w * h * 4);
        width = w;
        height = h;
      }
    }
  }

  private final Executor ui;
  private final Consumer<Buffer> show;
  private final Buffer[] buffers = {new Buffer(), new Buffer(), new Buffer()};
  /** Indices into {@link #buffers}, swapped under {@link #lock} (held for a few instructions only). */
  private int writing = 0;
  private int newest = 1;
  private int onScreen = 2;
  private boolean newestUnseen;
  private final Object lock = new Object();
  private final AtomicBoolean handOverPending = new AtomicBoolean();
  private final AtomicLong converted = new AtomicLong();
  private final AtomicLong shown = new AtomicLong();
  /** Reused rows, so a frame allocates nothing (only libwebrtc's thread touches them). */
  private byte[] rowY = new byte[0];
  private byte[] rowU = new byte[0];
  private byte[] rowV = new byte[0];
  private byte[] rowOut = new byte[0];

  /**
   * @param ui the UI thread's executor (e.g. {@code Platform::runLater})
   * @param show runs on the UI thread with the buffer to draw; it stays untouched until the next call
   */
  public VideoPicture(Executor ui, Consumer<Buffer> show) {
    this.ui = ui;
    this.show = show;
  }

  /** A frame from libwebrtc (its thread): converted now, shown when the UI thread gets to it. */
  public void frame(I420Frame frame) {
    Buffer target;
    synchronized (lock) {
      target = buffers[writing];
    }
    convert(frame, target);
    converted.incrementAndGet();
    synchronized (lock) {
      int done = writing;
      writing = newest;
      newest = done;
      newestUnseen = true;
    }
    if (handOverPending.compareAndSet(false, true)) {
      ui.execute(this::handOver);
    }
  }

  private void handOver() {
    handOverPending.set(false);
    Buffer next;
    synchronized (lock) {
      if (!newestUnseen) {
        return;
      }
      int previous = onScreen;
      onScreen = newest;
      newest = previous;
      newestUnseen = false;
      next = buffers[onScreen];
    }
    shown.incrementAndGet();
    show.accept(next);
  }

  /** Frames converted so far. */
  public long converted() {
    return converted.get();
  }

  /** Frames handed to the UI thread so far (fewer than converted when the UI thread was busy). */
  public long shown() {
    return shown.get();
  }

  /** BT.601 studio range to RGB, fixed point (16.16), into BGRA. */
  void convert(I420Frame f, Buffer out) {
    int w = f.width();
    int h = f.height();
    out.ensure(w, h);
    int cw = f.chromaWidth();
    if (rowY.length < w) {
      rowY = new byte[w];
      rowU = new byte[cw];
      rowV = new byte[cw];
      rowOut = new byte[w * 4];
    }
    ByteBuffer dst = out.pixels;
    for (int r = 0; r < h; r++) {
      f.y().get(r * f.strideY(), rowY, 0, w);
      f.u().get((r / 2) * f.strideU(), rowU, 0, cw);
      f.v().get((r / 2) * f.strideV(), rowV, 0, cw);
      for (int x = 0, o = 0; x < w; x++, o += 4) {
        int c = 76309 * ((rowY[x] & 0xff) - 16);
        int d = (rowU[x >> 1] & 0xff) - 128;
        int e = (rowV[x >> 1] & 0xff) - 128;
        rowOut[o] = clamp((c + 132201 * d + 32768) >> 16);
        rowOut[o + 1] = clamp((c - 25624 * d - 53281 * e + 32768) >> 16);
        rowOut[o + 2] = clamp((c + 104597 * e + 32768) >> 16);
        rowOut[o + 3] = (byte) 0xff;
      }
      dst.put(r * w * 4, rowOut, 0, w * 4);
    }
  }

  private static byte clamp(int v) {
    return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
  }
}
