package org.parley.demo;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --demo}'s group: Echo creates "Demo group" with the person and a second bot, Nova, and both answer there —
 * Echo repeats what the person wrote, Nova counts it — each after reading it (blue ticks once both have) and typing
 * for a moment. The bots answer only the person, never each other.
 */
public final class DemoGroup implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DemoGroup.class);

  public static final String NAME = "Demo group";
  /** How long a bot waits for the group to reach it before it says hello. */
  private static final Duration ARRIVAL = Duration.ofSeconds(20);

  private final ParleyClient echo;
  private final ParleyClient nova;
  private final long typingMillis;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "demo-group");
    t.setDaemon(true);
    return t;
  });
  private final ParleyListener echoListener;
  private final ParleyListener novaListener;
  private volatile GroupId groupId;

  DemoGroup(ParleyClient echo, ParleyClient nova, long typingMillis) {
    this.echo = echo;
    this.nova = nova;
    this.typingMillis = typingMillis;
    this.echoListener = answering(echo, DemoGroup::echoAnswer);
    this.novaListener = answering(nova, DemoGroup::novaAnswer);
    echo.addListener(echoListener);
    nova.addListener(novaListener);
  }

  /** Echo makes the group with {@code userNumber} and Nova; both say hello once it has reached them. */
  void create(String userNumber) {
    worker.execute(() -> {
      try {
        GroupInfo group = echo.createGroup(NAME, List.of(userNumber, DemoEnvironment.NOVA_NUMBER));
        groupId = group.id();
        echo.sendToGroup(group.id(), "Welcome to the demo group! Nova and I are bots: write here and we both "
            + "answer.");
        long end = System.nanoTime() + ARRIVAL.toNanos();
        while (!knows(nova, group.id()) && System.nanoTime() < end) {
          Thread.sleep(100);
        }
        nova.sendToGroup(group.id(), "Hi, I'm Nova. I count words.");
      } catch (ParleyException e) {
        log.warn("The demo group could not be set up: {}", e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /** The group, once Echo has made it. */
  public GroupId groupId() {
    return groupId;
  }

  private static boolean knows(ParleyClient bot, GroupId id) {
    try {
      return bot.group(id).selfIsMember();
    } catch (ParleyException notYet) {
      return false;
    }
  }

  private ParleyListener answering(ParleyClient bot, Function<String, String> answer) {
    return new ParleyListener() {
      @Override
      public void groupMessageReceived(GroupMessage m) {
        if (m.isOutgoing() || isBot(m.senderNumber())) {
          return;
        }
        worker.execute(() -> reply(bot, m, answer.apply(m.text())));
      }
    };
  }

  private static boolean isBot(String number) {
    return number.equals(DemoEnvironment.ECHO_NUMBER) || number.equals(DemoEnvironment.NOVA_NUMBER);
  }

  private void reply(ParleyClient bot, GroupMessage m, String text) {
    try {
      bot.markGroupRead(m.groupId());
      bot.sendGroupTyping(m.groupId(), true);
      Thread.sleep(typingMillis);
      bot.sendToGroup(m.groupId(), text);
    } catch (ParleyException e) {
      log.warn("A demo bot could not answer in the group: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String echoAnswer(String text) {
    return EchoBot.answer(text);
  }

  static String novaAnswer(String text) {
    String trimmed = text.strip();
    int words = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    int chars = trimmed.codePointCount(0, trimmed.length());
    return String.format(Locale.ROOT, "That was %d %s and %d %s.", words, words == 1 ? "word" : "words", chars,
        chars == 1 ? "character" : "characters");
  }

  @Override
  public void close() {
    echo.removeListener(echoListener);
    nova.removeListener(novaListener);
    worker.shutdownNow();
    try {
      worker.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
