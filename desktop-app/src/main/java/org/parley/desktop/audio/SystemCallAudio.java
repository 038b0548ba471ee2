package org.parley.desktop.audio;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.parley.client.api.ParleyException;
import org.parley.client.api.calls.AudioDevice;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.CallManager;
import org.parley.desktop.settings.SettingsStore;
import org.parley.desktop.vm.CallAudio;
import org.slf4j.LoggerFactory;

/**
 * The app's call audio: the devices chosen in Settings when {@link SoundCheck} finds usable sound, else silence
 * (the call still connects; the call window says why there is no sound). The check runs once, on first use.
 */
public final class SystemCallAudio implements CallAudio {

  private static final Duration CHECK_LIMIT = Duration.ofSeconds(15);

  private final Supplier<CallManager> calls;
  private final SettingsStore store;
  private final Map<String, String> env;
  private SoundCheck.Result result;

  public SystemCallAudio(Supplier<CallManager> calls, SettingsStore store, Map<String, String> env) {
    this.calls = calls;
    this.store = store;
    this.env = env;
  }

  /**
   * Runs the check on a thread of its own after {@code delay} (out of the way of start-up), so the first call or
   * the Settings panel do not wait for it, and the app's one io thread is not held up by it.
   */
  public void checkInBackground(Duration delay) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(delay.toMillis());
        result();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "parley-sound-check");
    t.setDaemon(true);
    t.start();
  }

  private synchronized SoundCheck.Result result() {
    if (result == null) {
      result = SoundCheck.run(env, CHECK_LIMIT);
      if (!result.available()) {
        LoggerFactory.getLogger(SystemCallAudio.class)
            .warn("Calls will carry no sound: {}", result.problem().get());
      }
    }
    return result;
  }

  @Override
  public Optional<String> problem() {
    return result().problem();
  }

  @Override
  public AudioIo audio() {
    if (!result().available()) {
      return AudioIo.silent();
    }
    return new AudioIo.Devices(microphone(), speaker());
  }

  @Override
  public List<AudioDevice> microphones() throws ParleyException {
    return result().available() ? calls.get().audioInputDevices() : List.of();
  }

  @Override
  public List<AudioDevice> speakers() throws ParleyException {
    return result().available() ? calls.get().audioOutputDevices() : List.of();
  }

  @Override
  public Optional<String> microphone() {
    return store.audioInput();
  }

  @Override
  public Optional<String> speaker() {
    return store.audioOutput();
  }

  @Override
  public void choose(Optional<String> microphone, Optional<String> speaker) throws ParleyException {
    try {
      store.setAudioDevices(microphone, speaker);
    } catch (IOException e) {
      throw new ParleyException("Cannot save the settings: " + e.getMessage(), e);
    }
  }
}
