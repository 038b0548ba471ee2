package org.parley.server.storage;

import java.time.Clock;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.parley.server.storage.jdbc.Database;
import org.parley.server.storage.jdbc.JdbcMessageQueue;

/**
 * The database queues of one contract test, each on a connection pool of its own over the same database, so that a
 * reopened queue (or a second server's) sees only what the database holds.
 */
final class JdbcQueues {

  private final Map<MessageQueue, Database> databases = new IdentityHashMap<>();
  private final Supplier<Database> openDatabase;

  JdbcQueues(Supplier<Database> openDatabase) {
    this.openDatabase = openDatabase;
  }

  MessageQueue open() {
    Database database = openDatabase.get();
    MessageQueue q = new JdbcMessageQueue(database, Clock.systemUTC());
    databases.put(q, database);
    return q;
  }

  /** Closes {@code closed} and its pool, then opens a new queue on the same database. */
  MessageQueue reopen(MessageQueue closed) {
    closed.close();
    databases.remove(closed).close();
    return open();
  }

  /** Closes every queue still open, then the pools. */
  void closeAll() {
    databases.keySet().forEach(MessageQueue::close);
    databases.values().forEach(Database::close);
    databases.clear();
  }
}
