package org.parley.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.Typing;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallListener;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallState;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.desktop.settings.SettingsStore;
import org.parley.testing.Tones;

/** {@code --demo}: the embedded server, the demo registration and Echo, in this JVM. */
class DemoEnvironmentTest {

  @Test
  void echoGreetsReadsShowsTypingAndThenAnswers() throws Exception {
    Path root = Files.createTempDirectory("parley-demo-test");
    List<String> events = new CopyOnWriteArrayList<>();
    try (DemoEnvironment demo = DemoEnvironment.start(root.resolve("demo"), 300);
        ParleyClient me = ParleyClient.open(ClientOptions.of(root.resolve("me"), demo.serverUrl()))) {
      demo.registerUser(me);
      assertThat(me.account().number()).isEqualTo(DemoEnvironment.USER_NUMBER);
      me.addListener(new ParleyListener() {
        @Override
        public void messageReceived(Message m) {
          events.add("message:" + m.text());
        }

        @Override
        public void typing(Typing t) {
          events.add("typing:" + t.started());
        }
      });
      me.connect();
      SettingsStore store = SettingsStore.open(root.resolve("me"));
      demo.introduceEcho(store, DemoEnvironment.USER_NUMBER);
      assertThat(store.contactName(DemoEnvironment.ECHO_NUMBER)).contains("Echo");
      await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().anyMatch(e -> e.startsWith("message:Hi!")));

      Message sent = me.send(DemoEnvironment.ECHO_NUMBER, "ping");
      await().atMost(Duration.ofSeconds(20)).until(() -> events.contains("message:You said: ping"));
      assertThat(events.indexOf("typing:true")).as("typing shows before the answer")
          .isGreaterThanOrEqualTo(0).isLessThan(events.indexOf("message:You said: ping"));
      await().atMost(Duration.ofSeconds(10)).until(() -> me.history(DemoEnvironment.ECHO_NUMBER, 10).stream()
          .filter(m -> m.id() == sent.id()).allMatch(m -> m.status() == MessageStatus.READ));
    }
  }

  @Test
  void echoAndNovaSitInTheDemoGroupAndBothAnswerThere() throws Exception {
    Path root = Files.createTempDirectory("parley-demo-group");
    List<GroupMessage> got = new CopyOnWriteArrayList<>();
    try (DemoEnvironment demo = DemoEnvironment.start(root.resolve("demo"), 50);
        ParleyClient me = ParleyClient.open(ClientOptions.of(root.resolve("me"), demo.serverUrl()))) {
      demo.registerUser(me);
      me.addListener(new ParleyListener() {
        @Override
        public void groupMessageReceived(GroupMessage m) {
          got.add(m);
        }
      });
      me.connect();
      SettingsStore store = SettingsStore.open(root.resolve("me"));
      demo.introduceEcho(store, DemoEnvironment.USER_NUMBER);
      assertThat(store.contactName(DemoEnvironment.NOVA_NUMBER)).contains("Nova");
      await().atMost(Duration.ofSeconds(30)).until(() -> me.groups().stream()
          .anyMatch(g -> g.name().equals(DemoGroup.NAME)));
      GroupInfo group = me.groups().stream().filter(g -> g.name().equals(DemoGroup.NAME)).findFirst().orElseThrow();
      assertThat(group.memberNumbers()).containsExactlyInAnyOrder(DemoEnvironment.USER_NUMBER,
          DemoEnvironment.ECHO_NUMBER, DemoEnvironment.NOVA_NUMBER);
      assertThat(group.admins()).containsExactly(DemoEnvironment.ECHO_NUMBER);
      await().atMost(Duration.ofSeconds(30)).until(() -> got.stream().anyMatch(m ->
          m.senderNumber().equals(DemoEnvironment.ECHO_NUMBER) && m.text().startsWith("Welcome to the demo group"))
          && got.stream().anyMatch(m -> m.senderNumber().equals(DemoEnvironment.NOVA_NUMBER)
          && m.text().startsWith("Hi, I'm Nova")));

      GroupMessage sent = me.sendToGroup(group.id(), "three little words");
      await().atMost(Duration.ofSeconds(30)).until(() -> got.stream().anyMatch(m ->
          m.senderNumber().equals(DemoEnvironment.ECHO_NUMBER) && m.text().equals("You said: three little words"))
          && got.stream().anyMatch(m -> m.senderNumber().equals(DemoEnvironment.NOVA_NUMBER)
          && m.text().equals("That was 3 words and 18 characters.")));
      // Both bots read it: the message is read by everyone.
      await().atMost(Duration.ofSeconds(20)).until(() -> me.groupMessageInfo(sent.id()).read().size() == 2);
      assertThat(got).noneMatch(m -> m.text().startsWith("You said: Hi, I'm Nova"));
    }
  }

  @Test
  void echoAnswersAPictureWithItMirroredAndAFileWithALine() throws Exception {
    Path root = Files.createTempDirectory("parley-demo-picture");
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
      // Left half red, right half blue: mirrored, the left is blue.
      BufferedImage halves = new BufferedImage(400, 200, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = halves.createGraphics();
      g.setColor(Color.RED);
      g.fillRect(0, 0, 200, 200);
      g.setColor(Color.BLUE);
      g.fillRect(200, 0, 200, 200);
      g.dispose();
      Path picture = root.resolve("halves.png");
      ImageIO.write(halves, "png", picture.toFile());
      Path file = Files.write(root.resolve("notes.txt"), "x".repeat(1500).getBytes(StandardCharsets.US_ASCII));
      me.send(DemoEnvironment.ECHO_NUMBER, "", List.of(OutgoingAttachment.of(picture)));
      me.send(DemoEnvironment.ECHO_NUMBER, "", List.of(OutgoingAttachment.of(file)));

      await().atMost(Duration.ofSeconds(60)).until(() -> received.stream().anyMatch(Message::hasAttachments));
      Attachment answer = received.stream().filter(Message::hasAttachments).findFirst().orElseThrow()
          .attachments().get(0);
      me.awaitDownload(answer.id(), Duration.ofSeconds(30));
      BufferedImage back;
      try (InputStream in = me.openAttachment(answer.id())) {
        back = ImageIO.read(in);
      }
      assertThat(back.getWidth()).isEqualTo(400);
      assertThat(back.getRGB(20, 100) & 0xffffff).isEqualTo(0x0000ff);
      assertThat(back.getRGB(380, 100) & 0xffffff).isEqualTo(0xff0000);
      await().atMost(Duration.ofSeconds(30)).until(() -> received.stream()
          .anyMatch(m -> m.text().equals("Got your file notes.txt (1.5 kB). I can't open files, but it arrived safely.")));
    }
  }

  @Test
  void echoAnswersACallAndPlaysItsTestTone() throws Exception {
    Path root = Files.createTempDirectory("parley-demo-call");
    Path heard = root.resolve("heard.wav");
    List<Call> states = new CopyOnWriteArrayList<>();
    try (DemoEnvironment demo = DemoEnvironment.start(root.resolve("demo"), 300);
        ParleyClient me = ParleyClient.open(ClientOptions.of(root.resolve("me"), demo.serverUrl()))) {
      demo.registerUser(me);
      me.calls().addListener(new CallListener() {
        @Override
        public void stateChanged(Call call) {
          states.add(call);
        }
      });
      me.connect();
      assertThat(me.awaitQueueDrained(Duration.ofSeconds(20))).isTrue();
      Call call = me.calls().placeCall(DemoEnvironment.ECHO_NUMBER, CallOptions.of(AudioIo.wav(null, heard)));
      await().atMost(Duration.ofSeconds(20)).until(() -> states.stream()
          .anyMatch(c -> c.state() == CallState.CONNECTED));
      // Echo let it ring before answering.
      Call connected = states.stream().filter(c -> c.state() == CallState.CONNECTED).findFirst().orElseThrow();
      assertThat(connected.connectedAt().orElseThrow() - call.startedAt()).isGreaterThanOrEqualTo(1000);
      Thread.sleep(3000);
      me.calls().hangup(call.callId());
      await().atMost(Duration.ofSeconds(10)).until(() -> states.stream().anyMatch(c -> c.state() == CallState.ENDED));
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(heard));
      short[] samples = Tones.read(heard);
      assertThat(samples.length).isGreaterThan(16000);
      // The chime is 440 Hz then 660 Hz: far more energy there than at a frequency it never plays.
      double chime = Tones.power(samples, 0, samples.length, 440, 16000)
          + Tones.power(samples, 0, samples.length, 660, 16000);
      assertThat(chime).isGreaterThan(20 * Tones.power(samples, 0, samples.length, 1000, 16000));
      // The call entry in Echo's own history is not a message to echo back (Echo answers within 0.3 s).
      await().atMost(Duration.ofSeconds(10)).until(() -> me.history(DemoEnvironment.ECHO_NUMBER, 10).stream()
          .anyMatch(Message::isCall));
      Thread.sleep(1500);
      assertThat(me.history(DemoEnvironment.ECHO_NUMBER, 10)).extracting(Message::text)
          .noneMatch(t -> t.startsWith("You said:"));
    }
  }

  @Test
  void theOutboxReadsTheNewestCodeForANumber() throws Exception {
    Path dir = Files.createTempDirectory("parley-outbox");
    DevSmsOutbox outbox = new DevSmsOutbox(dir);
    assertThat(outbox.codeFor("+15550100001")).isEmpty();
    Files.writeString(dir.resolve("dev-sms.txt"), "+15550100001 111111\n+15550100002 222222\n"
        + "garbage line here\n+15550100001 333333\n");
    assertThat(outbox.codeFor("+15550100001")).contains("333333");
    assertThat(outbox.codeFor("+15550100002")).contains("222222");
    assertThat(outbox.codeFor("+15550100003")).isEmpty();
  }
}
