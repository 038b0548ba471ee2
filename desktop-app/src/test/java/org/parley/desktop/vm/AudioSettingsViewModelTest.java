package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.client.api.ParleyException;
import org.parley.client.api.calls.AudioDevice;
import org.parley.client.api.calls.AudioIo;
import org.parley.desktop.audio.SystemCallAudio;
import org.parley.desktop.settings.SettingsStore;

/**
 * Settings → Calls. The build machines have no sound devices (client-core's device listing hangs there, see the
 * README), so the device lists come from a {@link CallAudio} written here with two microphones; the no-sound case
 * is the app's own {@link SystemCallAudio}.
 */
class AudioSettingsViewModelTest {

  private final VmHarness h = new VmHarness();

  @Test
  void withoutSoundThePickersAreOffAndTheReasonShows() throws Exception {
    SettingsStore store = SettingsStore.open(Files.createTempDirectory("parley-audio-none"));
    SystemCallAudio audio = new SystemCallAudio(() -> {
      throw new AssertionError("no device list without sound");
    }, store, Map.of("PARLEY_AUDIO", "none"));
    AudioSettingsViewModel vm = new AudioSettingsViewModel(audio, h.tasks);
    h.onUi(vm::load);
    await().until(() -> h.onUi(vm.note::get).startsWith("No sound on this computer"));
    assertThat(h.onUi(vm.available::get)).isFalse();
    assertThat(audio.audio()).isEqualTo(AudioIo.silent());
  }

  @Test
  void choicesListTheSystemDefaultFirstAndAChoiceIsKeptAcrossRestarts() throws Exception {
    Path dir = Files.createTempDirectory("parley-audio");
    SettingsStore store = SettingsStore.open(dir);
    CallAudio twoMics = new Devices(store);
    AudioSettingsViewModel vm = new AudioSettingsViewModel(twoMics, h.tasks);
    h.onUi(vm::load);
    await().until(() -> h.onUi(vm.microphones::get).size() == 3);
    assertThat(h.onUi(vm.microphones::get)).extracting(AudioSettingsViewModel.Choice::label)
        .containsExactly("System default (Built-in microphone)", "Built-in microphone", "USB headset");
    assertThat(h.onUi(vm.microphone::get).id()).isEmpty();
    assertThat(h.onUi(vm.available::get)).isTrue();
    assertThat(h.onUi(vm.note::get)).isEmpty();

    h.onUi(() -> vm.chooseMicrophone(vm.microphones.get().get(2)));
    await().until(() -> SettingsStore.open(dir).audioInput().equals(Optional.of("usb-1")));
    assertThat(SettingsStore.open(dir).audioOutput()).isEmpty();

    AudioSettingsViewModel again = new AudioSettingsViewModel(new Devices(SettingsStore.open(dir)), h.tasks);
    h.onUi(again::load);
    await().until(() -> h.onUi(again.microphone::get) != null && h.onUi(again.microphone::get).id().equals("usb-1"));
    assertThat(new Devices(SettingsStore.open(dir)).audio())
        .isEqualTo(new AudioIo.Devices(Optional.of("usb-1"), Optional.empty()));
  }

  /** A machine with two microphones and one speaker; choices go to the real settings file. */
  private static final class Devices implements CallAudio {
    private final SettingsStore store;

    Devices(SettingsStore store) {
      this.store = store;
    }

    @Override
    public Optional<String> problem() {
      return Optional.empty();
    }

    @Override
    public AudioIo audio() {
      return new AudioIo.Devices(microphone(), speaker());
    }

    @Override
    public List<AudioDevice> microphones() {
      return List.of(new AudioDevice("builtin-0", "Built-in microphone", true),
          new AudioDevice("usb-1", "USB headset", false));
    }

    @Override
    public List<AudioDevice> speakers() {
      return List.of(new AudioDevice("builtin-out", "Speakers", true));
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
    public void choose(Optional<String> microphone, Optional<String> speaker) throws
        ParleyException {
      try {
        store.setAudioDevices(microphone, speaker);
      } catch (IOException e) {
        throw new ParleyException(e.getMessage(), e);
      }
    }
  }
}
