package org.parley.client.internal.calls;

import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import java.util.List;
import java.util.function.BiConsumer;
import org.parley.client.api.calls.I420Frame;
import org.parley.client.api.calls.VideoFrameListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sink on a video track that lends each frame to the listeners as an {@link I420Frame} and then releases it.
 * webrtc-java's sink already hands over a copy of libwebrtc's decoded buffer (its one copy per frame); the listeners
 * read that copy in place, so nothing here copies pixels.
 */
final class VideoFrames implements VideoTrackSink {

  private static final Logger log = LoggerFactory.getLogger(VideoFrames.class);

  private final String callId;
  private final List<VideoFrameListener> listeners;
  private final VideoFrameListener own;
  private final BiConsumer<VideoFrameListener, I420Frame> deliver;
  private volatile long firstNanos;

  /**
   * {@code listeners}: the manager's (a live list); {@code own}: the call's own (its recorder), or null;
   * {@code remote}: frames of the peer's track, else of our own (the preview).
   */
  VideoFrames(String callId, List<VideoFrameListener> listeners, VideoFrameListener own, boolean remote) {
    this.callId = callId;
    this.listeners = listeners;
    this.own = own;
    this.deliver = remote ? (l, f) -> l.remoteFrame(callId, f) : (l, f) -> l.localFrame(callId, f);
  }

  @Override
  public void onVideoFrame(VideoFrame frame) {
    try {
      if (firstNanos == 0) {
        firstNanos = System.nanoTime();
      }
      I420Buffer b = frame.buffer.toI420();
      I420Frame lent = new I420Frame(b.getWidth(), b.getHeight(), frame.timestampNs,
          b.getDataY().asReadOnlyBuffer(), b.getStrideY(), b.getDataU().asReadOnlyBuffer(), b.getStrideU(),
          b.getDataV().asReadOnlyBuffer(), b.getStrideV());
      if (own != null) {
        give(own, lent);
      }
      for (VideoFrameListener l : listeners) {
        give(l, lent);
      }
    } finally {
      frame.release();
    }
  }

  private void give(VideoFrameListener l, I420Frame frame) {
    try {
      deliver.accept(l, frame);
    } catch (RuntimeException e) {
      log.warn("call {}: a video listener failed: {}", callId, e.toString());
    }
  }

  /** Monotonic nanos of the first frame, or 0. */
  long firstNanos() {
    return firstNanos;
  }
}
