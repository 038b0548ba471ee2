package org.parley.client.internal.calls;

import dev.onvoid.webrtc.media.MediaDevices;
import dev.onvoid.webrtc.media.video.VideoDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.parley.client.api.calls.CallException;
import org.parley.client.api.calls.CameraDevice;

/**
 * The system's cameras as libwebrtc sees them (V4L2 on Linux, AVFoundation, Media Foundation). Like the audio
 * device lists ({@link SystemAudio}) the query runs on a daemon thread of its own with a time limit, so a system
 * service that never answers cannot hang a call.
 */
final class Cameras {

  static final int TIMEOUT_SECONDS = 5;
  static final String NO_CAMERA = "No camera found";

  private Cameras() {}

  static List<CameraDevice> list() throws CallException {
    List<CameraDevice> result = new ArrayList<>();
    for (VideoDevice d : devices()) {
      result.add(new CameraDevice(d.getDescriptor(), d.getName()));
    }
    return result;
  }

  /** The camera with {@code id} (descriptor or name), or the first; {@link #NO_CAMERA} when there is none. */
  static VideoDevice find(Optional<String> id) throws CallException {
    List<VideoDevice> all = devices();
    if (all.isEmpty()) {
      throw new CallException(NO_CAMERA);
    }
    if (id.isEmpty()) {
      return all.get(0);
    }
    return all.stream().filter(d -> id.get().equals(d.getDescriptor()) || id.get().equals(d.getName()))
        .findFirst().orElseThrow(() -> new CallException("No camera with id '" + id.get() + "'"));
  }

  private static List<VideoDevice> devices() throws CallException {
    NativeLibrary.check();
    CompletableFuture<List<VideoDevice>> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(MediaDevices.getVideoCaptureDevices());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "parley-cameras");
    t.setDaemon(true);
    t.start();
    try {
      return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new CallException("The system did not list its cameras within " + TIMEOUT_SECONDS + " s", e);
    } catch (ExecutionException e) {
      throw new CallException("Cannot list cameras: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CallException("Interrupted while listing cameras", e);
    }
  }
}
