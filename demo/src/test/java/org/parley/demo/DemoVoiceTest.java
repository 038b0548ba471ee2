package org.parley.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.voice.VoiceNoteAudio;
import org.parley.desktop.vm.Microphone;
import org.parley.desktop.vm.VoiceDevices;

/** Echo answers a voice note with a voice note; without a microphone the demo records its made-up voice. */
class DemoVoiceTest {

  @Test
  void echoAnswersAVoiceNoteWithAVoiceNote() throws Exception {
    Path root = Files.createTempDirectory("parley-demo-voice");
    List<Message> received = new CopyOnWriteArrayList<>();
    try (DemoEnvironment demo = DemoEnvironment.start(root.resolve("demo"), 50);
        ParleyClient me = ParleyClient.open(ClientOptions.of(root.resolve("me"), demo.serverUrl()))) {
      demo.registerUser(me);
      me.addListener(new ParleyListener() {
        @Override
        public void messageReceived(Message m) {
          received.add(m);
        }
      });
      me.connect();
      me.sendVoiceNote(DemoEnvironment.ECHO_NUMBER, DemoVoice.writeWav(root.resolve("mine.wav"), 3.0, 1));

      await().atMost(Duration.ofSeconds(60)).until(() -> received.stream().anyMatch(Message::hasAttachments));
      Attachment answer = received.stream().filter(Message::hasAttachments).findFirst().orElseThrow()
          .attachments().get(0);
      assertThat(answer.voiceNote()).isPresent();
      assertThat(answer.voiceNote().get().duration().toMillis()).isCloseTo(3000, within(30L));
      // Syllables and pauses: the waveform has loud and quiet buckets, not a flat tone.
      List<Integer> wave = answer.voiceNote().get().waveform();
      assertThat(wave.stream().mapToInt(Integer::intValue).max().orElse(0)).isGreaterThan(200);
      assertThat(wave.stream().filter(v -> v < 60).count()).isGreaterThan(3);
      me.awaitDownload(answer.id(), Duration.ofSeconds(30));
      VoiceNoteAudio audio = me.decodeVoiceNote(answer.id());
      assertThat(audio.duration().toMillis()).isCloseTo(3000, within(30L));
    }
  }

  @Test
  void withoutAMicrophoneTheDemoRecordsItsMadeUpVoiceInRealTime() throws Exception {
    VoiceDevices devices = DemoVoice.withVoiceFallback(VoiceDevices.NONE);
    try (Microphone.Capture capture = devices.microphone().open()) {
      short[] buffer = new short[1600];
      long start = System.nanoTime();
      int got = 0;
      int peak = 0;
      while (got < 8000) {
        int n = capture.read(buffer);
        for (int i = 0; i < n; i++) {
          peak = Math.max(peak, Math.abs(buffer[i]));
        }
        got += n;
      }
      // Half a second of sound at 16 kHz takes about half a second to arrive, like a real microphone.
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(400L, 2000L);
      assertThat(capture.sampleRate()).isEqualTo(16_000);
      assertThat(peak).isGreaterThan(3000);
    }
  }
}
