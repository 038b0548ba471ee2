package org.parley.client.internal.store;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.calls.CallDirection;
import org.parley.client.api.calls.CallEndReason;
import org.parley.client.api.calls.CallEntry;
import org.parley.client.internal.db.Database;

/**
 * Calls recorded in conversations (table {@code call_entry}): each is a row of {@code message} — so it pages,
 * counts as unread and sorts with the text — plus the call's id, end reason and duration here.
 */
public final class CallEntryTable {
  static final String SCHEMA_VERSION = "1";

  private final Database db;
  private final MessageTable messages;
  private final ConversationTable conversations;

  public CallEntryTable(Database db, MessageTable messages, ConversationTable conversations) {
    this.db = db;
    this.messages = messages;
    this.conversations = conversations;
    db.migrate("call_entry", SCHEMA_VERSION);
  }

  /**
   * Records a call once (by call id; and by the caller's (account, start time) key of {@code message}); returns
   * the message id, or empty when it was recorded already.
   *
   * @param callerAccount who placed the call (us for outgoing calls)
   * @param ownDevice our device (sender device of an outgoing entry)
   */
  public Optional<Long> record(String contactAccount, String callerAccount, int callerDevice, CallEntry entry,
      long startedAt, String text, long now) {
    return db.inTransaction(c -> {
      if (Jdbc.one(c, "SELECT 1 FROM call_entry WHERE call_id = ?", r -> 1, entry.callId()).isPresent()) {
        return Optional.<Long>empty();
      }
      long conversation = conversations.touch(contactAccount, startedAt);
      Optional<Long> id;
      if (entry.direction() == CallDirection.OUTGOING) {
        if (messages.bySender(callerAccount, startedAt).isPresent()) {
          return Optional.<Long>empty();
        }
        id = Optional.of(messages.insertOutgoing(conversation, callerAccount, callerDevice, text, startedAt,
            MessageStatus.SENT));
      } else {
        id = messages.insertIncoming(conversation, callerAccount, callerDevice, text, startedAt, null, now);
      }
      if (id.isPresent()) {
        Jdbc.update(c, "INSERT INTO call_entry (message_id, call_id, end_reason, duration_ms) VALUES (?, ?, ?, ?)",
            id.get(), entry.callId(), entry.endReason().name(), entry.duration().toMillis());
      }
      return id;
    });
  }

  /** The call entries among {@code messageIds}, by message id. */
  public Map<Long, CallEntry> byMessages(List<Long> messageIds, Map<Long, CallDirection> directions) {
    Map<Long, CallEntry> result = new HashMap<>();
    if (messageIds.isEmpty()) {
      return result;
    }
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < messageIds.size(); i++) {
      in.append(i == 0 ? "?" : ", ?");
    }
    List<Object[]> rows = db.inTransaction(c -> Jdbc.list(c, "SELECT message_id, call_id, end_reason, duration_ms "
        + "FROM call_entry WHERE message_id IN (" + in + ")",
        r -> new Object[] {r.getLong(1), r.getString(2), r.getString(3), r.getLong(4)}, messageIds.toArray()));
    for (Object[] row : rows) {
      long id = (Long) row[0];
      result.put(id, new CallEntry((String) row[1], directions.get(id), CallEndReason.valueOf((String) row[2]),
          Duration.ofMillis((Long) row[3])));
    }
    return result;
  }

  /** Deletes the call entries of deleted messages. */
  public void deleteForMessages(List<Long> messageIds) {
    if (!messageIds.isEmpty()) {
      db.run(c -> Jdbc.update(c, "DELETE FROM call_entry WHERE message_id = ANY(?)",
          (Object) messageIds.toArray(Long[]::new)));
    }
  }
}
