package org.parley.client.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.parley.client.internal.db.Database;

/**
 * Groups (table {@code chat_group}), who holds our sender key ({@code group_key_shared}), their system lines
 * ({@code group_event}) and the ordered group sends ({@code group_outbox}); ADR 0140.
 */
public final class ChatGroupTable {

  /** The version of this store's newest migration (db/client/chat_group). */
  static final String SCHEMA_VERSION = "1";

  /** One group as last applied. */
  public record Row(String id, String name, long revision, byte[] state, boolean selfMember,
      Optional<UUID> distributionId, long lastActivity) {}

  /** One system line. */
  public record EventRow(long id, String groupId, String kind, String actor, List<String> targets,
      Optional<String> newName, long revision, long happenedAt) {}

  /** One pending group send. */
  public record OutboxRow(long id, String kind, String groupId, Long messageId, List<String> recipients,
      byte[] content, long sentAt, boolean ephemeral, int attempts, long nextAttemptAt) {}

  private static final String COLUMNS = "id, name, revision, state, self_member, distribution_id, last_activity";

  private final Database db;

  public ChatGroupTable(Database db) {
    this.db = db;
    db.migrate("chat_group", SCHEMA_VERSION);
  }

  private static Row map(ResultSet r) throws SQLException {
    return new Row(r.getString(1), r.getString(2), r.getLong(3), r.getBytes(4), r.getBoolean(5),
        Optional.ofNullable(r.getObject(6, UUID.class)), r.getLong(7));
  }

  public Optional<Row> byId(String id) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT " + COLUMNS + " FROM chat_group WHERE id = ?",
        ChatGroupTable::map, id));
  }

  public List<Row> all() {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT " + COLUMNS + " FROM chat_group ORDER BY last_activity DESC, "
        + "id", ChatGroupTable::map));
  }

  /** The group whose current sender key of ours has this distribution id. */
  public Optional<Row> byDistributionId(UUID distributionId) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT " + COLUMNS + " FROM chat_group WHERE distribution_id = ?",
        ChatGroupTable::map, distributionId));
  }

  /** Stores a group's new state (creating the row); the sender key stays unless {@link #rotateKey}. */
  public void put(String id, String name, long revision, byte[] state, boolean selfMember, long now) {
    db.run(c -> {
      int updated = Jdbc.update(c, "UPDATE chat_group SET name = ?, revision = ?, state = ?, self_member = ?, "
          + "last_activity = GREATEST(last_activity, ?) WHERE id = ?", name, revision, state, selfMember, now, id);
      if (updated == 0) {
        Jdbc.update(c, "INSERT INTO chat_group (id, name, revision, state, self_member, last_activity) "
            + "VALUES (?, ?, ?, ?, ?, ?)", id, name, revision, state, selfMember, now);
      }
    });
  }

  public void touch(String id, long now) {
    db.run(c -> Jdbc.update(c, "UPDATE chat_group SET last_activity = GREATEST(last_activity, ?) WHERE id = ?", now,
        id));
  }

  /** Forgets our sender key: the next send makes a new one and gives it only to the members then. */
  public void rotateKey(String id) {
    db.run(c -> {
      Jdbc.update(c, "UPDATE chat_group SET distribution_id = NULL WHERE id = ?", id);
      Jdbc.update(c, "DELETE FROM group_key_shared WHERE group_id = ?", id);
    });
  }

  public void setDistributionId(String id, UUID distributionId) {
    db.run(c -> Jdbc.update(c, "UPDATE chat_group SET distribution_id = ? WHERE id = ?", distributionId, id));
  }

  /** Member accounts that hold our sender key {@code distributionId} of the group. */
  public Set<String> keyHolders(String groupId, UUID distributionId) {
    return Set.copyOf(db.inTransaction(c -> Jdbc.list(c, "SELECT account_id FROM group_key_shared WHERE group_id = ? "
        + "AND distribution_id = ?", r -> r.getString(1), groupId, distributionId)));
  }

  public void keyShared(String groupId, String accountId, UUID distributionId) {
    db.run(c -> Jdbc.update(c, "MERGE INTO group_key_shared (group_id, account_id, distribution_id) "
        + "KEY (group_id, account_id) VALUES (?, ?, ?)", groupId, accountId, distributionId));
  }

  /** The account lost our key (it asked again): it gets it with the next send. */
  public void keyLost(String groupId, String accountId) {
    db.run(c -> Jdbc.update(c, "DELETE FROM group_key_shared WHERE group_id = ? AND account_id = ?", groupId,
        accountId));
  }

  // ---- system lines ----

  public long addEvent(String groupId, String kind, String actor, List<String> targets, Optional<String> newName,
      long revision, long happenedAt) {
    return db.inTransaction(c -> Jdbc.insert(c, "INSERT INTO group_event (group_id, kind, actor, targets, new_name, "
        + "revision, happened_at) VALUES (?, ?, ?, ?, ?, ?, ?)", groupId, kind, actor, String.join(",", targets),
        newName.orElse(null), revision, happenedAt));
  }

  /** The newest {@code limit} events of a group, oldest first. */
  public List<EventRow> events(String groupId, int limit) {
    List<EventRow> newest = db.inTransaction(c -> Jdbc.list(c, "SELECT id, group_id, kind, actor, targets, new_name, "
        + "revision, happened_at FROM group_event WHERE group_id = ? ORDER BY happened_at DESC, id DESC LIMIT ?",
        r -> new EventRow(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
            r.getString(5).isEmpty() ? List.of() : Arrays.asList(r.getString(5).split(",")),
            Optional.ofNullable(r.getString(6)), r.getLong(7), r.getLong(8)), groupId, limit));
    List<EventRow> oldestFirst = new ArrayList<>(newest);
    Collections.reverse(oldestFirst);
    return oldestFirst;
  }

  /** The group's newest system line. */
  public Optional<EventRow> latestEvent(String groupId) {
    List<EventRow> newest = events(groupId, 1);
    return newest.isEmpty() ? Optional.empty() : Optional.of(newest.get(0));
  }

  // ---- the group outbox ----

  public long enqueue(String kind, String groupId, Long messageId, List<String> recipients, byte[] content,
      long sentAt, boolean ephemeral, long now) {
    return db.inTransaction(c -> Jdbc.insert(c, "INSERT INTO group_outbox (kind, group_id, message_id, recipients, "
        + "content, sent_at, ephemeral, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", kind, groupId, messageId,
        String.join(",", recipients), content, sentAt, ephemeral, now));
  }

  /** The oldest row if it is due at {@code now}: rows go strictly in order (an update before the next message). */
  public Optional<OutboxRow> nextDue(long now) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT id, kind, group_id, message_id, recipients, content, sent_at, "
        + "ephemeral, attempts, next_attempt_at FROM group_outbox ORDER BY id LIMIT 1",
        r -> new OutboxRow(r.getLong(1), r.getString(2), r.getString(3),
            (Long) r.getObject(4), r.getString(5).isEmpty() ? List.of() : Arrays.asList(r.getString(5).split(",")),
            r.getBytes(6), r.getLong(7), r.getBoolean(8), r.getInt(9), r.getLong(10))))
        .filter(row -> row.nextAttemptAt() <= now);
  }

  public Optional<Long> earliestDue() {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT next_attempt_at FROM group_outbox ORDER BY id LIMIT 1",
        r -> r.getLong(1)));
  }

  /** What is left of a PAIRWISE row after some recipients got it. */
  public void remaining(long id, List<String> recipients) {
    db.run(c -> Jdbc.update(c, "UPDATE group_outbox SET recipients = ? WHERE id = ?", String.join(",", recipients),
        id));
  }

  public void retryLater(long id, long nextAttemptAt, String error) {
    db.run(c -> Jdbc.update(c, "UPDATE group_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? "
        + "WHERE id = ?", nextAttemptAt, error.length() > 1000 ? error.substring(0, 1000) : error, id));
  }

  public void wakeAll(long now) {
    db.run(c -> Jdbc.update(c, "UPDATE group_outbox SET next_attempt_at = ? WHERE next_attempt_at > ?", now, now));
  }

  public void delete(long id) {
    db.run(c -> Jdbc.update(c, "DELETE FROM group_outbox WHERE id = ?", id));
  }

  public int outboxSize() {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT COUNT(*) FROM group_outbox", r -> r.getInt(1)).orElse(0));
  }
}
