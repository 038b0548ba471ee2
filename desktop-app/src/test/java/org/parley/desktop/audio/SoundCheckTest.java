package org.parley.desktop.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sound check runs libwebrtc's audio module in a child JVM, so a machine without sound cannot take the app down. */
class SoundCheckTest {

  @Test
  void parleyAudioNoneTurnsSoundOffWithoutChecking() {
    SoundCheck.Result r = SoundCheck.run(Map.of("PARLEY_AUDIO", "none"), Duration.ofMillis(1));
    assertThat(r.available()).isFalse();
    assertThat(r.problem()).contains("sound is turned off (PARLEY_AUDIO=none)");
  }

  @Test
  void parleyAudioSystemTrustsTheSystemWithoutChecking() {
    // A 1 ms limit would fail any real check: this shows none ran.
    assertThat(SoundCheck.run(Map.of("PARLEY_AUDIO", "system"), Duration.ofMillis(1)).available()).isTrue();
  }

  @Test
  void aCheckThatDoesNotAnswerInTimeMeansNoSound() {
    SoundCheck.Result r = SoundCheck.run(Map.of(), Duration.ofMillis(1));
    assertThat(r.problem()).hasValueSatisfying(p -> assertThat(p).contains("did not answer within 1 ms"));
  }

  /**
   * On a machine without sound hardware or a sound server (the build machines: no /dev/snd, no PulseAudio), libwebrtc's
   * audio module fails natively; the check reports it and this JVM lives on.
   */
  @Test
  void onAMachineWithoutSoundTheCheckSaysSoAndThisJvmSurvives() {
    String runtime = System.getenv().getOrDefault("XDG_RUNTIME_DIR", "/run/user/0");
    boolean noSound = !Files.exists(Path.of("/dev/snd")) && System.getenv("PULSE_SERVER") == null
        && !Files.exists(Path.of(runtime, "pulse", "native"));
    assumeTrue(noSound, "this machine has sound");
    SoundCheck.Result r = SoundCheck.run(Map.of(), Duration.ofSeconds(30));
    assertThat(r.available()).isFalse();
    assertThat(r.problem().orElseThrow()).startsWith("no usable sound device");
  }
}
