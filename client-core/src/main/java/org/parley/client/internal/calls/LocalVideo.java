package org.parley.client.internal.calls;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.MediaDevices;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoCaptureCapability;
import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.onvoid.webrtc.media.video.VideoDeviceSource;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoFrameBuffer;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSource;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.parley.client.api.calls.CallException;
import org.parley.client.api.calls.VideoSource;
import org.parley.client.internal.screen.ScreenCapture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our video: a source ({@link VideoSource}) feeding a libwebrtc video track. The test pattern and y4m files are
 * drawn or read by a thread of ours straight into buffers libwebrtc allocated ({@link NativeI420Buffer}) and pushed
 * through a {@link CustomVideoSource}: one write per pixel, no copy on our side; the screen is captured by us
 * ({@link ScreenFrames}) the same way. A camera is libwebrtc's own capture
 * module ({@link VideoDeviceSource}). Frames larger than {@link VideoSource#MAX_WIDTH}×{@link VideoSource#MAX_HEIGHT}
 * are scaled down (libyuv) before they are pushed.
 */
final class LocalVideo implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalVideo.class);

  private final VideoTrackSource source;
  private final VideoTrack track;
  private final FrameSupplier frames;
  private final Thread pump;
  private volatile boolean running = true;

  private LocalVideo(PeerConnectionFactory factory, VideoTrackSource source, FrameSupplier frames, int fps) {
    this.source = source;
    this.track = factory.createVideoTrack("parley-video", source);
    this.frames = frames;
    if (frames != null) {
      CustomVideoSource custom = (CustomVideoSource) source;
      pump = new Thread(() -> pump(custom, frames, fps), "parley-call-video-out");
      pump.setDaemon(true);
      pump.start();
    } else {
      pump = null;
    }
  }

  /** Opens {@code video}; a camera that is not there, or a file that cannot be read, is a {@link CallException}. */
  static LocalVideo open(PeerConnectionFactory factory, VideoSource video) throws CallException {
    if (video instanceof VideoSource.Pattern p) {
      TestPattern pattern = new TestPattern(p.width(), p.height(), p.id());
      FrameSupplier frames = n -> {
        NativeI420Buffer buffer = NativeI420Buffer.allocate(p.width(), p.height());
        pattern.draw(n, buffer.getDataY(), buffer.getStrideY(), buffer.getDataU(), buffer.getStrideU(),
            buffer.getDataV(), buffer.getStrideV());
        return buffer;
      };
      return new LocalVideo(factory, new CustomVideoSource(), frames, p.fps());
    }
    if (video instanceof VideoSource.Y4mFile f) {
      Y4m.Reader reader;
      try {
        reader = new Y4m.Reader(f.file());
      } catch (IOException e) {
        throw new CallException("Cannot send video from " + f.file() + ": " + e.getMessage(), e);
      }
      int fps = (int) Math.max(1, Math.min(VideoSource.MAX_FPS, Math.round(reader.header().fps())));
      return new LocalVideo(factory, new CustomVideoSource(), new Y4mFrames(reader), fps);
    }
    if (video instanceof VideoSource.Screen screen) {
      ScreenCapture capture;
      try {
        capture = ScreenCapture.open(screen.area().map(a -> new int[] {a.x(), a.y(), a.width(), a.height()}));
      } catch (ScreenCapture.NoScreenException e) {
        throw new CallException(e.getMessage(), e);
      }
      return new LocalVideo(factory, new CustomVideoSource(), new ScreenFrames(capture), screen.fps());
    }
    VideoSource.Camera camera = (VideoSource.Camera) video;
    VideoDevice device = Cameras.find(camera.deviceId());
    VideoDeviceSource capture = new VideoDeviceSource();
    try {
      capture.setVideoCaptureDevice(device);
      capture.setVideoCaptureCapability(capability(device, camera));
      capture.start();
    } catch (RuntimeException e) {
      capture.dispose();
      throw new CallException("The camera " + device.getName() + " did not start: " + e.getMessage(), e);
    }
    return new LocalVideo(factory, capture, null, camera.fps());
  }

  /** The camera's mode closest to the one asked for, never above the cap. */
  private static VideoCaptureCapability capability(VideoDevice device, VideoSource.Camera wanted) {
    List<VideoCaptureCapability> modes;
    try {
      modes = MediaDevices.getVideoCaptureCapabilities(device);
    } catch (RuntimeException e) {
      modes = List.of();
    }
    return modes.stream()
        .filter(m -> m.width <= VideoSource.MAX_WIDTH && m.height <= VideoSource.MAX_HEIGHT)
        .min(Comparator.comparingInt((VideoCaptureCapability m) -> Math.abs(m.width * m.height
            - wanted.width() * wanted.height())).thenComparingInt(m -> Math.abs(m.frameRate - wanted.fps())))
        .orElse(new VideoCaptureCapability(wanted.width(), wanted.height(), wanted.fps()));
  }

  VideoTrack track() {
    return track;
  }

  /** Makes frame {@code n}, in a buffer whose one reference the caller then owns. */
  interface FrameSupplier {
    VideoFrameBuffer frame(int n) throws IOException;

    default void close() {}
  }

  private void pump(CustomVideoSource custom, FrameSupplier frames, int fps) {
    long interval = 1_000_000_000L / fps;
    long next = System.nanoTime();
    int n = 0;
    while (running) {
      try {
        VideoFrameBuffer buffer = capped(frames.frame(n++));
        VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
        try {
          custom.pushFrame(frame);
        } finally {
          frame.release();
        }
      } catch (IOException | RuntimeException e) {
        log.warn("video source failed, sending no more video: {}", e.toString());
        return;
      }
      next += interval;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else if (wait < -200_000_000L) {
        next = System.nanoTime(); // far behind (a paused machine): do not burst to catch up
      }
    }
  }

  /** {@code buffer}, or a copy scaled down to fit the cap (keeping the aspect ratio; the original is released). */
  static VideoFrameBuffer capped(VideoFrameBuffer buffer) {
    int w = buffer.getWidth();
    int h = buffer.getHeight();
    if (w <= VideoSource.MAX_WIDTH && h <= VideoSource.MAX_HEIGHT) {
      return buffer;
    }
    double scale = Math.min((double) VideoSource.MAX_WIDTH / w, (double) VideoSource.MAX_HEIGHT / h);
    int sw = Math.max(2, (int) (w * scale) & ~1);
    int sh = Math.max(2, (int) (h * scale) & ~1);
    try {
      return buffer.cropAndScale(0, 0, w, h, sw, sh);
    } finally {
      buffer.release();
    }
  }

  /** Frames of a y4m file, from the start again after its end. */
  private static final class Y4mFrames implements FrameSupplier {
    private final Y4m.Reader reader;

    Y4mFrames(Y4m.Reader reader) {
      this.reader = reader;
    }

    @Override
    public VideoFrameBuffer frame(int n) throws IOException {
      byte[] packed = reader.next();
      if (packed == null) {
        reader.rewind();
        packed = reader.next();
        if (packed == null) {
          throw new IOException("the y4m file has no frames");
        }
      }
      Y4m.Header h = reader.header();
      NativeI420Buffer buffer = NativeI420Buffer.allocate(h.width(), h.height());
      Y4m.unpack(packed, h, buffer.getDataY(), buffer.getStrideY(), buffer.getDataU(), buffer.getStrideU(),
          buffer.getDataV(), buffer.getStrideV());
      return buffer;
    }

    @Override
    public void close() {
      try {
        reader.close();
      } catch (IOException e) {
        log.debug("closing the y4m file: {}", e.toString());
      }
    }
  }

  /** Stops the source; the track must be off every sender already. */
  @Override
  public void close() {
    running = false;
    if (pump != null) {
      try {
        pump.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      frames.close();
    }
    if (source instanceof VideoDeviceSource capture) {
      try {
        capture.stop();
      } catch (RuntimeException e) {
        log.debug("stopping the camera: {}", e.toString());
      }
    }
    track.dispose();
    if (source instanceof CustomVideoSource custom) {
      custom.dispose();
    } else if (source instanceof VideoDeviceSource capture) {
      capture.dispose();
    }
  }
}
