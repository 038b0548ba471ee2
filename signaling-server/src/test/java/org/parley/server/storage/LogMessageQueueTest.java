package org.parley.server.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.parley.server.storage.log.LogMessageQueue;

/** The contract against the log-structured queue, with small segments so rolling happens too. */
class LogMessageQueueTest extends MessageQueueContract {

  private Path dir;

  private static LogMessageQueue.Settings settings() {
    return new LogMessageQueue.Settings(64 * 1024, false, true);
  }

  @Override
  protected MessageQueue newQueue() throws Exception {
    dir = Files.createTempDirectory("parley-log-queue");
    return new LogMessageQueue(dir, Clock.systemUTC(), settings());
  }

  @Override
  protected MessageQueue reopen(MessageQueue closed) {
    closed.close();
    return new LogMessageQueue(dir, Clock.systemUTC(), settings());
  }
}
