package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.attachments.Attachment;
import org.parley.desktop.settings.SettingsStore;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * Voice notes through the desktop's ViewModels over client-core and the real server: what the microphone gave is
 * sent and arrives as a voice note of that length; voice notes from Bob show with his waveform and play (Opus
 * decoded by client-core, then the player) with their tone, one after the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VoiceNoteViewModelTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private final VmHarness h = new VmHarness();
  private final String myNumber = Users.newNumber();
  private final String bobNumber = Users.newNumber();
  private final List<Message> bobReceived = new CopyOnWriteArrayList<>();
  private final TestAudio.FedMicrophone mic = new TestAudio.FedMicrophone(48_000);
  private final TestAudio.KeepingSpeaker speaker = new TestAudio.KeepingSpeaker();
  private ParleyClient me;
  private ParleyClient bob;
  private MainViewModel main;
  private ConversationViewModel chat;

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("parley-voice-vm");
    me = parley.register(myNumber, dir).client();
    bob = parley.register(bobNumber).client();
    bob.addListener(new ParleyListener() {
      @Override
      public void messageReceived(Message message) {
        bobReceived.add(message);
      }
    });
    bob.connect();
    SettingsStore store = SettingsStore.open(dir);
    main = h.onUi(() -> new MainViewModel(me, store, h.tasks, h.clock, h.zone, h.timer, (t, b, o) -> { }));
    h.onUi(() -> main.setVoiceDevices(new VoiceDevices(mic, speaker)));
    h.onUi(main::start);
    await().until(() -> h.onUi(main.connection::get).isEmpty());
    h.onUi(() -> main.open(bobNumber, Optional.empty()));
    chat = h.onUi(() -> main.current.get().orElseThrow());
  }

  @AfterAll
  void stop() {
    h.onUi(main::stop);
    h.close();
    me.close();
    bob.close();
  }

  private List<AttachmentItem> voiceItems() {
    return h.onUi(() -> chat.rows.snapshot().stream().filter(r -> r instanceof ConversationRow.Bubble)
        .flatMap(r -> ((ConversationRow.Bubble) r).attachments().stream()).filter(AttachmentItem::isVoice)
        .toList());
  }

  @Test
  void aRecordingIsSentAsAVoiceNoteAndBobsNotesPlayInARow() throws Exception {
    // Record hands-free: 2.5 s of a 1 kHz tone from the microphone, then Send.
    h.onUi(chat.recorder::press);
    h.onUi(chat.recorder::release);
    mic.feed(TestAudio.sine(1000, 2.5, 48_000, 0.5));
    await().until(() -> h.onUi(chat.recorder.elapsed::get).equals("0:02"));
    Thread.sleep(700);
    h.onUi(chat.recorder::send);
    await().atMost(Duration.ofSeconds(60)).until(() -> bobReceived.stream().anyMatch(Message::hasAttachments));
    Attachment got = bobReceived.stream().filter(Message::hasAttachments).findFirst().orElseThrow()
        .attachments().get(0);
    assertThat(got.contentType()).isEqualTo("audio/ogg");
    assertThat(got.voiceNote()).isPresent();
    assertThat(got.voiceNote().get().duration().toMillis()).isCloseTo(2500, within(30L));
    // My own bubble is a voice note too, with the waveform client-core computed.
    await().until(() -> voiceItems().size() == 1);
    assertThat(voiceItems().get(0).voice().orElseThrow().waveform()).hasSize(64);

    // Bob answers with two notes: 440 Hz then 660 Hz.
    Path wavs = Files.createTempDirectory("bob-voice");
    bob.sendVoiceNote(myNumber, TestAudio.wav(wavs.resolve("a.wav"), TestAudio.sine(440, 1.2, 16_000, 0.5), 16_000));
    bob.sendVoiceNote(myNumber, TestAudio.wav(wavs.resolve("b.wav"), TestAudio.sine(660, 0.8, 16_000, 0.5), 16_000));
    await().atMost(Duration.ofSeconds(60)).until(() -> voiceItems().size() == 3
        && voiceItems().stream().allMatch(AttachmentItem::isLocal));
    AttachmentItem first = voiceItems().get(1);
    assertThat(first.voice().orElseThrow().duration().toMillis()).isCloseTo(1200, within(30L));
    assertThat(h.onUi(() -> Attachments.preview("", List.of(me.attachment(first.id())))))
        .isEqualTo("\uD83C\uDFA4 Voice note (0:01)");

    h.onUi(() -> chat.player.toggle(first.id()));
    await().until(() -> h.onUi(chat.player.playback::get).attachmentId() == voiceItems().get(2).id()
        && !h.onUi(chat.player.playback::get).playing());
    short[] out = speaker.all();
    assertThat(speaker.rate).isEqualTo(48_000);
    assertThat(out.length).isCloseTo(2 * 48_000, within(48_000 / 10));
    assertThat(TestAudio.dominantHz(Arrays.copyOfRange(out, 0, 48_000), 48_000, 48_000))
        .isCloseTo(440, within(10.0));
    assertThat(TestAudio.dominantHz(Arrays.copyOfRange(out, 60_000, 96_000), 36_000, 48_000))
        .isCloseTo(660, within(10.0));
    // The last note has nothing after it: playing it leaves the player stopped at its start.
    assertThat(chat.media.voiceNoteAfter(voiceItems().get(2).id())).isEmpty();
    assertThat(chat.media.voiceNoteAfter(voiceItems().get(0).id())).hasValue(first.id());
  }
}
