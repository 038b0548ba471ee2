package org.parley.desktop.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.Typing;
import org.parley.desktop.settings.SettingsStore;

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
