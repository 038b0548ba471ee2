package org.parley.client.internal.calls;

import dev.onvoid.webrtc.media.MediaDevices;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.parley.client.api.calls.AudioDevice;
import org.parley.client.api.calls.CallException;

/**
 * The system's microphones and speakers, as libwebrtc sees them. Without a sound server libwebrtc's device
 * enumeration never returns (probed: PulseAudio absent), so it runs on its own daemon thread and gives up after
 * {@link #TIMEOUT_SECONDS}.
 */
final class SystemAudio {

  static final int TIMEOUT_SECONDS = 5;

  private SystemAudio() {}

  static List<AudioDevice> inputs() throws CallException {
    return list("microphones", () -> convert(MediaDevices.getAudioCaptureDevices(),
        MediaDevices.getDefaultAudioCaptureDevice()));
  }

  static List<AudioDevice> outputs() throws CallException {
    return list("speakers", () -> convert(MediaDevices.getAudioRenderDevices(),
        MediaDevices.getDefaultAudioRenderDevice()));
  }

  private static List<AudioDevice> list(String what, Supplier<List<AudioDevice>> query) throws CallException {
    NativeLibrary.check();
    CompletableFuture<List<AudioDevice>> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(query.get());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "parley-audio-devices");
    t.setDaemon(true);
    t.start();
    try {
      return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new CallException("The sound system did not list its " + what + " within " + TIMEOUT_SECONDS
          + " s: is a sound server (PulseAudio/PipeWire) running? Headless calls can use WAV files instead", e);
    } catch (ExecutionException e) {
      throw new CallException("Cannot list " + what + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CallException("Interrupted while listing " + what, e);
    }
  }

  private static List<AudioDevice> convert(List<dev.onvoid.webrtc.media.audio.AudioDevice> devices,
      dev.onvoid.webrtc.media.audio.AudioDevice preferred) {
    List<AudioDevice> result = new ArrayList<>();
    for (dev.onvoid.webrtc.media.audio.AudioDevice d : devices) {
      result.add(new AudioDevice(d.getDescriptor(), d.getName(), d.equals(preferred)));
    }
    return result;
  }
}
