package org.parley.client.api.calls;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Where a call's audio comes from and where the peer's audio goes. */
public sealed interface AudioIo {

  /**
   * The system's microphone and speaker (through libwebrtc's audio device module, with echo cancellation, noise
   * suppression and gain control). Empty ids mean the system defaults; ids come from
   * {@link CallManager#audioInputDevices()} and {@link CallManager#audioOutputDevices()}.
   */
  record Devices(Optional<String> inputId, Optional<String> outputId) implements AudioIo {
    public Devices {
      Objects.requireNonNull(inputId, "inputId");
      Objects.requireNonNull(outputId, "outputId");
    }
  }

  /**
   * Headless: sends the samples of a WAV file (16-bit PCM, mono or stereo, 8–48 kHz; silence after its end) and
   * writes what the peer sends to a WAV file (16-bit PCM mono, 16 kHz) when the call ends. Either may be empty:
   * no {@code play} sends silence, no {@code record} drops the peer's audio. Needs no sound system.
   */
  record WavFiles(Optional<Path> play, Optional<Path> record) implements AudioIo {
    public WavFiles {
      Objects.requireNonNull(play, "play");
      Objects.requireNonNull(record, "record");
    }
  }

  static AudioIo systemDefault() {
    return new Devices(Optional.empty(), Optional.empty());
  }

  static AudioIo wav(Path play, Path record) {
    return new WavFiles(Optional.ofNullable(play), Optional.ofNullable(record));
  }

  /** Sends silence and drops what arrives (signaling and connectivity tests). */
  static AudioIo silent() {
    return new WavFiles(Optional.empty(), Optional.empty());
  }
}
