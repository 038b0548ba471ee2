package org.parley.desktop.demo;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.ParleyListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's "Echo" contact: an ordinary client-core client in the same process. For each message it reads it
 * (read receipt), shows typing for a moment, then answers.
 */
public final class EchoBot implements ParleyListener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EchoBot.class);

  private final ParleyClient client;
  private final long typingMillis;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "echo-bot");
    t.setDaemon(true);
    return t;
  });

  public EchoBot(ParleyClient client, long typingMillis) {
    this.client = client;
    this.typingMillis = typingMillis;
    client.addListener(this);
  }

  public ParleyClient client() {
    return client;
  }

  /** Says hello so the chat list is not empty. */
  public void greet(String number) {
    worker.execute(() -> {
      try {
        client.send(number, "Hi! I'm Echo, a bot in this demo. Write me anything and I'll send it back.");
      } catch (ParleyException e) {
        log.warn("Echo could not greet {}: {}", number, e.getMessage());
      }
    });
  }

  @Override
  public void messageReceived(Message message) {
    if (message.direction() != Message.Direction.INCOMING) {
      return;
    }
    worker.execute(() -> reply(message));
  }

  private void reply(Message message) {
    String from = message.contactNumber();
    try {
      client.markRead(from);
      client.sendTyping(from, true);
      Thread.sleep(typingMillis);
      client.send(from, answer(message.text()));
    } catch (ParleyException e) {
      log.warn("Echo could not answer {}: {}", from, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String answer(String text) {
    return "You said: " + text;
  }

  @Override
  public void close() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.removeListener(this);
    client.close();
  }
}
