package org.parley.client.internal.calls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.parley.client.api.calls.I420Frame;
import org.parley.client.api.calls.VideoFrameListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one call's remote video to a y4m file at a fixed 30 frames per second of call time, so the file plays at
 * the speed it happened and lines up with the audio recording: each frame goes to the slot of its arrival time, a
 * slot nobody filled repeats the previous frame, and a frame arriving in a slot already written is dropped. The size
 * is the first frame's; later frames of another size (the sender adapting) are scaled to it (nearest neighbour).
 */
final class Y4mRecorder implements VideoFrameListener {

  static final int FPS = 30;
  private static final Logger log = LoggerFactory.getLogger(Y4mRecorder.class);
  /** A gap longer than this (the peer's camera was off) is not filled frame by frame: the file goes on from now. */
  private static final int MAX_REPEAT = FPS * 10;

  private final String callId;
  private final Path file;
  private Y4m.Writer writer;
  private byte[] last;
  private long startNanos;
  private long nextSlot;
  private boolean failed;

  Y4mRecorder(String callId, Path file) {
    this.callId = callId;
    this.file = file;
  }

  @Override
  public synchronized void remoteFrame(String id, I420Frame frame) {
    if (!id.equals(callId) || failed) {
      return;
    }
    long now = System.nanoTime();
    try {
      if (writer == null) {
        writer = new Y4m.Writer(file, new Y4m.Header(frame.width(), frame.height(), FPS, 1));
        startNanos = now;
      }
      long slot = (now - startNanos) * FPS / 1_000_000_000L;
      if (slot < nextSlot) {
        return;
      }
      if (last != null) {
        for (long s = nextSlot; s < slot && s - nextSlot < MAX_REPEAT; s++) {
          writer.write(last);
        }
      }
      Y4m.Header h = writer.header();
      last = frame.width() == h.width() && frame.height() == h.height() ? frame.toBytes() : scaled(frame, h);
      writer.write(last);
      nextSlot = slot + 1;
    } catch (IOException e) {
      failed = true;
      log.warn("call {}: cannot record video to {}: {}", callId, file, e.toString());
    }
  }

  synchronized void close() {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException e) {
        log.warn("call {}: cannot finish the video recording {}: {}", callId, file, e.toString());
      }
    }
  }

  private static byte[] scaled(I420Frame f, Y4m.Header h) {
    byte[] out = new byte[h.frameBytes()];
    int at = scalePlane(f.y(), f.strideY(), f.width(), f.height(), out, 0, h.width(), h.height());
    at = scalePlane(f.u(), f.strideU(), f.chromaWidth(), f.chromaHeight(), out, at, h.chromaWidth(),
        h.chromaHeight());
    scalePlane(f.v(), f.strideV(), f.chromaWidth(), f.chromaHeight(), out, at, h.chromaWidth(), h.chromaHeight());
    return out;
  }

  private static int scalePlane(ByteBuffer src, int stride, int sw, int sh, byte[] out, int at, int dw, int dh) {
    for (int r = 0; r < dh; r++) {
      int sr = r * sh / dh;
      for (int c = 0; c < dw; c++) {
        out[at++] = src.get(sr * stride + c * sw / dw);
      }
    }
    return at;
  }
}
