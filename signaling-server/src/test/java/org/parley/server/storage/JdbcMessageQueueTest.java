package org.parley.server.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.parley.server.storage.jdbc.Database;
import org.parley.server.storage.jdbc.JdbcMessageQueue;

/** The contract against the embedded H2 file database, as the server runs by default. */
class JdbcMessageQueueTest extends MessageQueueContract {

  private final Map<MessageQueue, Database> databases = new IdentityHashMap<>();
  private Path dir;

  @Override
  protected MessageQueue newQueue() throws Exception {
    dir = Files.createTempDirectory("parley-queue");
    return openQueue();
  }

  private MessageQueue openQueue() {
    Database database = Database.embeddedH2(dir);
    MessageQueue q = new JdbcMessageQueue(database, Clock.systemUTC());
    databases.put(q, database);
    return q;
  }

  @Override
  protected MessageQueue reopen(MessageQueue closed) {
    closed.close();
    databases.remove(closed).close();
    return openQueue();
  }

  @AfterEach
  void closeDatabases() {
    databases.values().forEach(Database::close);
  }
}
