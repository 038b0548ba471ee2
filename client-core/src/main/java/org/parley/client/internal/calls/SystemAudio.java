package org.parley.client.internal.calls;

import dev.onvoid.webrtc.media.MediaDevices;
import java.util.ArrayList;
import java.util.List;
import org.parley.client.api.calls.AudioDevice;
import org.parley.client.api.calls.CallException;

/** The system's microphones and speakers, as libwebrtc sees them. */
final class SystemAudio {

  private SystemAudio() {}

  static List<AudioDevice> inputs() throws CallException {
    NativeLibrary.check();
    try {
      return convert(MediaDevices.getAudioCaptureDevices(), MediaDevices.getDefaultAudioCaptureDevice());
    } catch (RuntimeException | Error e) {
      throw new CallException("Cannot list microphones: " + e, e);
    }
  }

  static List<AudioDevice> outputs() throws CallException {
    NativeLibrary.check();
    try {
      return convert(MediaDevices.getAudioRenderDevices(), MediaDevices.getDefaultAudioRenderDevice());
    } catch (RuntimeException | Error e) {
      throw new CallException("Cannot list speakers: " + e, e);
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
