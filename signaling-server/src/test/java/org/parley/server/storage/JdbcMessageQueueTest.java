package org.parley.server.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.parley.server.storage.jdbc.Database;

/** The contract against the embedded H2 file database, as the server runs by default. */
class JdbcMessageQueueTest extends MessageQueueContract {

  private Path dir;
  private final JdbcQueues queues = new JdbcQueues(() -> Database.embeddedH2(dir));

  @Override
  protected MessageQueue newQueue() throws Exception {
    dir = Files.createTempDirectory("parley-queue");
    return queues.open();
  }

  @Override
  protected MessageQueue reopen(MessageQueue closed) {
    return queues.reopen(closed);
  }

  @AfterEach
  void closeDatabases() {
    queues.closeAll();
  }
}
