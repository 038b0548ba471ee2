package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Mixer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.desktop.audio.JavaSoundMicrophone;
import org.parley.desktop.vm.VoiceRecorderViewModel.State;

/**
 * The recorder's states without JavaFX: hold and release sends, a click records hands-free, cancel throws away,
 * the timer and meter follow the microphone, the length limit sends, and a machine without a microphone says so.
 */
class VoiceRecorderViewModelTest {

  private static final int RATE = 16_000;

  @TempDir
  Path dir;

  private final VmHarness h = new VmHarness();
  private final TestAudio.FedMicrophone mic = new TestAudio.FedMicrophone(RATE);
  /** What the recorder handed to the conversation to send: a copy of each WAV (the original is the sender's). */
  private final List<byte[]> sent = new CopyOnWriteArrayList<>();
  private final List<Path> sentPaths = new CopyOnWriteArrayList<>();
  private final AtomicInteger files = new AtomicInteger();
  private Instant now = Instant.parse("2026-12-03T10:00:00Z");
  private VoiceRecorderViewModel recorder;

  private VoiceRecorderViewModel recorder(Microphone microphone, Duration max) {
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
    return h.onUi(() -> new VoiceRecorderViewModel(microphone,
        () -> dir.resolve("rec-" + files.incrementAndGet() + ".wav"), wav -> {
          try {
            sent.add(Files.readAllBytes(wav));
            sentPaths.add(wav);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }, h.ui, clock, max));
  }

  @AfterEach
  void close() {
    h.close();
  }

  private State state() {
    return h.onUi(recorder.state::get);
  }

  @Test
  void holdingRecordsWithATimerAndALevelAndReleasingSends() throws Exception {
    recorder = recorder(mic, VoiceRecorderViewModel.MAX_LENGTH);
    h.onUi(recorder::press);
    assertThat(state()).isEqualTo(State.HOLDING);
    mic.feed(TestAudio.sine(440, 1.0, RATE, 0.5));
    await().until(() -> h.onUi(recorder.elapsed::get).equals("0:01"));
    // A sine at half scale: RMS −9 dBFS, on the 60 dB meter 0.85.
    assertThat(h.onUi(recorder.level::get)).isCloseTo(0.85, within(0.02));
    mic.feed(TestAudio.sine(440, 0.5, RATE, 0.0));
    await().until(() -> h.onUi(recorder.level::get) == 0.0);
    now = now.plusMillis(1600);
    h.onUi(recorder::release);
    await().until(() -> sent.size() == 1);
    assertThat(state()).isEqualTo(State.IDLE);
    ByteBuffer wav = ByteBuffer.wrap(sent.get(0)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new String(sent.get(0), 0, 4, "US-ASCII")).isEqualTo("RIFF");
    assertThat(wav.getInt(24)).isEqualTo(RATE);
    assertThat(wav.getShort(22)).isEqualTo((short) 1);
    assertThat(wav.getInt(40)).isEqualTo(sent.get(0).length - 44).isEqualTo(RATE * 3);
    short[] pcm = new short[wav.getInt(40) / 2];
    wav.position(44);
    wav.asShortBuffer().get(pcm);
    assertThat(TestAudio.dominantHz(pcm, RATE, RATE)).isCloseTo(440, within(5.0));
    assertThat(mic.closed).isTrue();
    assertThat(h.onUi(recorder.notice::get)).isEmpty();
  }

  @Test
  void aClickRecordsHandsFreeUntilSend() {
    recorder = recorder(mic, VoiceRecorderViewModel.MAX_LENGTH);
    h.onUi(recorder::press);
    now = now.plusMillis(120);
    h.onUi(recorder::release);
    assertThat(state()).isEqualTo(State.HANDS_FREE);
    mic.feed(TestAudio.sine(300, 2.0, RATE, 0.3));
    await().until(() -> h.onUi(recorder.elapsed::get).equals("0:02"));
    assertThat(sent).isEmpty();
    h.onUi(recorder::send);
    await().until(() -> sent.size() == 1);
    assertThat(sent.get(0).length - 44).isEqualTo(RATE * 2 * 2);
    assertThat(state()).isEqualTo(State.IDLE);
  }

  @Test
  void inHandsFreeTheMicrophoneButtonSendsAndReleasingItDoesNothingMore() {
    recorder = recorder(mic, VoiceRecorderViewModel.MAX_LENGTH);
    h.onUi(recorder::press);
    h.onUi(recorder::release);
    mic.feed(TestAudio.sine(300, 1.0, RATE, 0.3));
    await().until(() -> h.onUi(recorder.elapsed::get).equals("0:01"));
    h.onUi(recorder::press);
    h.onUi(recorder::release);
    await().until(() -> sent.size() == 1);
    assertThat(sent.get(0).length - 44).isEqualTo(RATE * 2);
    assertThat(state()).isEqualTo(State.IDLE);
    assertThat(mic.opened).isEqualTo(1);
  }

  @Test
  void cancelThrowsTheRecordingAway() throws Exception {
    recorder = recorder(mic, VoiceRecorderViewModel.MAX_LENGTH);
    h.onUi(recorder::press);
    mic.feed(TestAudio.sine(300, 1.0, RATE, 0.3));
    await().until(() -> h.onUi(recorder.elapsed::get).equals("0:01"));
    h.onUi(recorder::cancel);
    assertThat(state()).isEqualTo(State.IDLE);
    await().until(() -> mic.closed);
    // The file was made and is gone again; nothing was sent.
    await().until(() -> {
      try (var list = Files.list(dir)) {
        return list.count() == 0;
      }
    });
    assertThat(files.get()).isEqualTo(1);
    Thread.sleep(200);
    assertThat(sent).isEmpty();
    assertThat(h.onUi(recorder.level::get)).isZero();
  }

  @Test
  void theLengthLimitStopsAndSendsAndSaysSo() {
    recorder = recorder(mic, Duration.ofSeconds(2));
    h.onUi(recorder::press);
    now = now.plusMillis(100);
    h.onUi(recorder::release);
    mic.feed(TestAudio.sine(300, 3.0, RATE, 0.3));
    await().until(() -> sent.size() == 1);
    assertThat(sent.get(0).length - 44).isEqualTo(RATE * 2 * 2);
    assertThat(state()).isEqualTo(State.IDLE);
    assertThat(h.onUi(recorder.notice::get)).isEqualTo(
        "Recording stopped at 0:02, the longest a voice note can be here; it was sent");
    assertThat(VoiceRecorderViewModel.MAX_LENGTH).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void aRecordingTooShortIsNotSent() throws Exception {
    recorder = recorder(mic, VoiceRecorderViewModel.MAX_LENGTH);
    h.onUi(recorder::press);
    mic.feed(TestAudio.sine(300, 0.1, RATE, 0.3));
    await().until(() -> h.onUi(recorder.level::get) > 0);
    now = now.plusMillis(500);
    h.onUi(recorder::release);
    await().until(() -> state() == State.IDLE);
    assertThat(h.onUi(recorder.notice::get)).startsWith("Too short to send");
    Thread.sleep(200);
    assertThat(sent).isEmpty();
  }

  @Test
  void withoutAMicrophoneJavaSoundSaysSoAndNothingBreaks() {
    // The real Java Sound on this machine (no sound card: no /dev/snd, no PulseAudio), not a stand-in.
    Assumptions.assumeFalse(hasCaptureDevice(),
        "this machine has a microphone; the no-microphone path is covered on the build machines");
    recorder = recorder(new JavaSoundMicrophone(), VoiceRecorderViewModel.MAX_LENGTH);
    h.onUi(recorder::press);
    await().until(() -> state() == State.IDLE);
    assertThat(h.onUi(recorder.notice::get)).isEqualTo("No microphone found: connect one to record voice notes");
    now = now.plusMillis(900);
    h.onUi(recorder::release);
    assertThat(state()).isEqualTo(State.IDLE);
    assertThat(sent).isEmpty();
    // Trying again asks again (a microphone may have been plugged in meanwhile) and says the same.
    h.onUi(recorder::press);
    await().until(() -> state() == State.IDLE && !h.onUi(recorder.notice::get).isEmpty());
  }

  @Test
  void releasingBeforeTheMissingMicrophoneIsReportedStillSaysWhy() {
    Microphone slowFailing = () -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new NoSoundDeviceException("No microphone found: connect one to record voice notes");
    };
    recorder = recorder(slowFailing, VoiceRecorderViewModel.MAX_LENGTH);
    h.onUi(recorder::press);
    now = now.plusMillis(1000);
    h.onUi(recorder::release);
    await().until(() -> state() == State.IDLE);
    assertThat(h.onUi(recorder.notice::get)).startsWith("No microphone found");
    assertThat(sent).isEmpty();
  }

  static boolean hasCaptureDevice() {
    for (Mixer.Info info : AudioSystem.getMixerInfo()) {
      if (AudioSystem.getMixer(info).getTargetLineInfo().length > 0) {
        return true;
      }
    }
    return false;
  }
}
