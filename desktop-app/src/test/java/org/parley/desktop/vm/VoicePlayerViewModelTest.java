package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongFunction;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Mixer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.parley.client.api.voice.UnreadableAudioException;
import org.parley.client.api.voice.VoiceNoteAudio;
import org.parley.desktop.audio.JavaSoundSpeaker;
import org.parley.desktop.vm.VoicePlayerViewModel.Playback;

/**
 * The player without JavaFX: playing writes the note to the speaker, 2× writes half as much at the same pitch,
 * seeking moves where it plays from, notes play in a row, and without a speaker (this machine) it says so.
 * The notes here are decoded PCM handed over directly; VoiceNoteViewModelTest plays real received notes.
 */
class VoicePlayerViewModelTest {

  private static final int RATE = 48_000;

  private final VmHarness h = new VmHarness();
  private final TestAudio.KeepingSpeaker speaker = new TestAudio.KeepingSpeaker();
  private final Map<Long, VoiceNoteAudio> notes = Map.of(
      1L, new VoiceNoteAudio(RATE, 1, TestAudio.sine(440, 2.0, RATE, 0.4)),
      2L, new VoiceNoteAudio(RATE, 1, TestAudio.sine(660, 1.0, RATE, 0.4)),
      3L, new VoiceNoteAudio(RATE, 2, stereo(TestAudio.sine(880, 1.0, RATE, 0.4))));
  private final List<Long> decoded = new CopyOnWriteArrayList<>();

  private VoicePlayerViewModel player(Speaker out, LongFunction<OptionalLong> next) {
    FileServices files = new FileServices(h.tasks, file -> { });
    return h.onUi(() -> new VoicePlayerViewModel(id -> {
      decoded.add(id);
      VoiceNoteAudio a = notes.get(id);
      if (a == null) {
        throw new UnreadableAudioException("not an Ogg file");
      }
      return a;
    }, out, files.tasks(), next));
  }

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void playingWritesTheWholeNoteAndEndsAtTheStart() {
    VoicePlayerViewModel p = player(speaker, id -> OptionalLong.empty());
    h.onUi(() -> p.toggle(2));
    await().until(() -> speaker.all().length >= RATE);
    await().until(() -> !h.onUi(p.playback::get).playing());
    short[] out = speaker.all();
    assertThat(speaker.rate).isEqualTo(RATE);
    assertThat(out.length).isCloseTo(RATE, within(RATE / 50));
    assertThat(TestAudio.dominantHz(out, out.length, RATE)).isCloseTo(660, within(5.0));
    // Ended: back at the start of the same note, not playing.
    assertThat(h.onUi(p.playback::get)).isEqualTo(new Playback(2, false, 0, 1000));
  }

  @Test
  void twiceAsFastIsHalfAsLongAtTheSamePitch() {
    VoicePlayerViewModel p = player(speaker, id -> OptionalLong.empty());
    h.onUi(p::cycleSpeed);
    assertThat(h.onUi(p.speed::get)).isEqualTo(1.5);
    h.onUi(p::cycleSpeed);
    assertThat(h.onUi(p.speed::get)).isEqualTo(2.0);
    h.onUi(() -> p.toggle(1));
    await().until(() -> !h.onUi(p.playback::get).playing() && speaker.all().length > 0);
    short[] out = speaker.all();
    assertThat(out.length).isCloseTo(RATE, within(RATE / 50));
    assertThat(TestAudio.dominantHz(out, out.length, RATE)).isCloseTo(440, within(5.0));
    h.onUi(p::cycleSpeed);
    assertThat(h.onUi(p.speed::get)).isEqualTo(1.0);
    assertThat(VoicePlayerViewModel.speedLabel(1.5)).isEqualTo("1.5×");
    assertThat(VoicePlayerViewModel.speedLabel(2.0)).isEqualTo("2×");
  }

  @Test
  void seekingWhilePausedMovesThePositionAndPlayContinuesFromThere() {
    VoicePlayerViewModel p = player(speaker, id -> OptionalLong.empty());
    h.onUi(() -> p.seek(1, 2000, 0.75));
    assertThat(h.onUi(p.playback::get)).isEqualTo(new Playback(1, false, 1500, 2000));
    assertThat(h.onUi(p.playback::get).fraction()).isEqualTo(0.75);
    assertThat(speaker.opened).isZero();
    h.onUi(() -> p.toggle(1));
    await().until(() -> !h.onUi(p.playback::get).playing() && speaker.all().length > 0);
    // A quarter of two seconds is left.
    assertThat(speaker.all().length).isCloseTo(RATE / 2, within(RATE / 50));
    // Out of range clicks are clamped.
    h.onUi(() -> p.seek(1, 2000, 7));
    assertThat(h.onUi(p.playback::get).positionMillis()).isEqualTo(2000);
  }

  @Test
  void consecutiveNotesPlayInARow() {
    VoicePlayerViewModel p = player(speaker, id -> id == 1 ? OptionalLong.of(2) : id == 2 ? OptionalLong.of(3)
        : OptionalLong.empty());
    h.onUi(() -> p.toggle(1));
    await().until(() -> decoded.equals(List.of(1L, 2L, 3L)) && !h.onUi(p.playback::get).playing());
    assertThat(h.onUi(p.playback::get).attachmentId()).isEqualTo(3);
    short[] out = speaker.all();
    assertThat(out.length).isCloseTo(4 * RATE, within(RATE / 20));
    // In order: 440 Hz, then 660 Hz, then the stereo 880 Hz note mixed to one channel.
    assertThat(TestAudio.dominantHz(slice(out, 0, 2 * RATE), 2 * RATE, RATE)).isCloseTo(440, within(5.0));
    assertThat(TestAudio.dominantHz(slice(out, 2 * RATE + RATE / 10, RATE * 8 / 10), RATE * 8 / 10, RATE))
        .isCloseTo(660, within(5.0));
    assertThat(TestAudio.dominantHz(slice(out, 3 * RATE + RATE / 10, RATE * 8 / 10), RATE * 8 / 10, RATE))
        .isCloseTo(880, within(5.0));
  }

  @Test
  void aFileThatCannotBeDecodedSaysWhy() {
    VoicePlayerViewModel p = player(speaker, id -> OptionalLong.empty());
    h.onUi(() -> p.toggle(9));
    await().until(() -> !h.onUi(p.notice::get).isEmpty());
    assertThat(h.onUi(p.notice::get)).isEqualTo("Cannot play this voice note: not an Ogg file");
    assertThat(h.onUi(p.playback::get).playing()).isFalse();
  }

  @Test
  void withoutASpeakerJavaSoundSaysSoAndNothingBreaks() {
    Assumptions.assumeFalse(hasOutputDevice(),
        "this machine has a speaker; the no-speaker path is covered on the build machines");
    VoicePlayerViewModel p = player(new JavaSoundSpeaker(), id -> OptionalLong.empty());
    h.onUi(() -> p.toggle(1));
    await().until(() -> !h.onUi(p.notice::get).isEmpty());
    assertThat(h.onUi(p.notice::get)).isEqualTo("No speaker or headphones found: voice notes cannot be played here");
    Playback now = h.onUi(p.playback::get);
    assertThat(now.playing()).isFalse();
    assertThat(now.attachmentId()).isEqualTo(1);
    // Seeking still works (it needs no device) and a second try says the same again.
    h.onUi(() -> p.seek(1, 2000, 0.5));
    assertThat(h.onUi(p.playback::get).positionMillis()).isEqualTo(1000);
    h.onUi(() -> p.toggle(1));
    await().until(() -> !h.onUi(p.notice::get).isEmpty() && !h.onUi(p.playback::get).playing());
  }

  static boolean hasOutputDevice() {
    for (Mixer.Info info : AudioSystem.getMixerInfo()) {
      if (AudioSystem.getMixer(info).getSourceLineInfo().length > 0) {
        return true;
      }
    }
    return false;
  }

  private static short[] slice(short[] a, int from, int n) {
    return Arrays.copyOfRange(a, from, from + n);
  }

  private static short[] stereo(short[] mono) {
    short[] out = new short[mono.length * 2];
    for (int i = 0; i < mono.length; i++) {
      out[2 * i] = mono[i];
      out[2 * i + 1] = mono[i];
    }
    return out;
  }
}
