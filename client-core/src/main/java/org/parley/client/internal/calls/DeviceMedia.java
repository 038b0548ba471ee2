package org.parley.client.internal.calls;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioDevice;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSource;
import java.util.List;
import java.util.Optional;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.CallException;

/**
 * The system's microphone and speaker through libwebrtc's platform audio device module (PulseAudio on Linux), with
 * echo cancellation, noise suppression, gain control and a high-pass filter. Without a sound system libwebrtc may
 * abort the process, so headless programs use {@link AudioIo.WavFiles}.
 */
final class DeviceMedia extends CallMedia {

  private final AudioDeviceModule adm;
  private final PeerConnectionFactory factory;
  private final AudioTrackSource source;
  private final AudioTrack track;

  DeviceMedia(AudioIo.Devices devices) throws CallException {
    this.adm = new AudioDeviceModule();
    try {
      if (devices.inputId().isPresent()) {
        adm.setRecordingDevice(find(adm.getRecordingDevices(), devices.inputId().get(), "microphone"));
      }
      if (devices.outputId().isPresent()) {
        adm.setPlayoutDevice(find(adm.getPlayoutDevices(), devices.outputId().get(), "speaker"));
      }
    } catch (CallException e) {
      adm.dispose();
      throw e;
    }
    this.factory = new PeerConnectionFactory(adm);
    AudioOptions options = new AudioOptions();
    options.echoCancellation = true;
    options.noiseSuppression = true;
    options.autoGainControl = true;
    options.highpassFilter = true;
    this.source = factory.createAudioSource(options);
    this.track = factory.createAudioTrack("parley-audio", source);
  }

  private static AudioDevice find(List<AudioDevice> devices, String id, String kind) throws CallException {
    Optional<AudioDevice> found = devices.stream()
        .filter(d -> id.equals(d.getDescriptor()) || id.equals(d.getName())).findFirst();
    return found.orElseThrow(() -> new CallException("No " + kind + " with id '" + id + "'"));
  }

  @Override
  public PeerConnectionFactory factory() {
    return factory;
  }

  @Override
  public AudioTrack localTrack() {
    return track;
  }

  @Override
  public void remoteTrack(AudioTrack track) {
    // Played by the audio device module.
  }

  @Override
  public void connected() {}

  @Override
  public void setMuted(boolean muted) {
    track.setEnabled(!muted);
  }

  @Override
  public void close() {
    track.dispose();
    factory.dispose();
    adm.dispose();
  }
}
