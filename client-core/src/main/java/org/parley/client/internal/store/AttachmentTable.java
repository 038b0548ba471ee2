package org.parley.client.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.internal.db.Database;

/**
 * Attachments of sent and received messages (table {@code attachment}): where the plaintext is stored locally, the
 * transport key, digest and server id, what the sender said about it, and how far its transfer is.
 */
public final class AttachmentTable {

  /** The version of this store's newest migration (db/client/attachment). */
  static final String SCHEMA_VERSION = "4";

  /** Why the last transfer failed, for callers that must tell kinds apart (the API's exceptions). */
  public enum Failure { CORRUPT, NETWORK, INVALID, LOCAL }

  /** Which table {@code message_id} points into: 1:1 messages, group messages, or none (a group's picture). */
  public enum Owner { MESSAGE, GROUP_MESSAGE, GROUP_PICTURE }

  /**
   * One attachment.
   *
   * @param fileId its name in the local encrypted store (and of its upload ciphertext or partial download)
   * @param serverId the server's id once a slot is reserved (outgoing) or as the sender gave it (incoming)
   * @param ciphertextSize the transport ciphertext's length (padded), 0 when unknown
   * @param waveform a voice note's waveform (one byte per bucket); null when it is not a voice note
   * @param cipherFormat how the transport ciphertext is built (the pointer's {@code cipher_format}; 1 or 2)
   * @param owner what {@code messageId} names
   * @param groupId the group of a group message's attachment or of a group picture; null for 1:1
   */
  public record Row(long id, long messageId, int position, boolean outgoing, String fileId, String serverId,
      byte[] key, byte[] digest, long size, long ciphertextSize, String contentType, String fileName, Integer width,
      Integer height, Long durationMillis, byte[] thumbnail, String caption, AttachmentState state,
      long transferred, String error, Failure failure, byte[] waveform, int cipherFormat, Owner owner,
      String groupId) {

    public boolean voiceNote() {
      return waveform != null;
    }
  }

  /** What is known of a new attachment when it is stored. */
  public record New(String fileId, String serverId, byte[] key, byte[] digest, long size, long ciphertextSize,
      String contentType, String fileName, Integer width, Integer height, Long durationMillis, byte[] thumbnail,
      String caption, AttachmentState state, String error, byte[] waveform, int cipherFormat) {}

  private static final String COLUMNS = "id, message_id, position, direction, file_id, server_id, transfer_key, "
      + "digest, size, ciphertext_size, content_type, file_name, width, height, duration_ms, thumbnail, caption, "
      + "state, transferred, error, failure, waveform, cipher_format, owner, group_id";
  private static final String ONE_TO_ONE = " AND owner = 'MESSAGE'";

  private final Database db;

  public AttachmentTable(Database db) {
    this.db = db;
    db.migrate("attachment", SCHEMA_VERSION);
  }

  private static Row map(ResultSet r) throws SQLException {
    String failure = r.getString(21);
    return new Row(r.getLong(1), r.getLong(2), r.getInt(3), "OUT".equals(r.getString(4)), r.getString(5),
        r.getString(6), r.getBytes(7), r.getBytes(8), r.getLong(9), r.getLong(10), r.getString(11), r.getString(12),
        (Integer) r.getObject(13), (Integer) r.getObject(14), (Long) r.getObject(15), r.getBytes(16),
        r.getString(17), AttachmentState.valueOf(r.getString(18)), r.getLong(19), r.getString(20),
        failure == null ? null : Failure.valueOf(failure), r.getBytes(22), r.getInt(23),
        Owner.valueOf(r.getString(24)), r.getString(25));
  }

  /** Stores the attachments of 1:1 message {@code messageId} in order; returns their ids. */
  public List<Long> insert(long messageId, boolean outgoing, List<New> attachments, long now) {
    return insert(Owner.MESSAGE, null, messageId, outgoing, attachments, now);
  }

  /**
   * Stores attachments in order; returns their ids.
   *
   * @param groupId the group, for {@link Owner#GROUP_MESSAGE} and {@link Owner#GROUP_PICTURE}
   * @param messageId the 1:1 or group message; 0 for a group picture
   */
  public List<Long> insert(Owner owner, String groupId, long messageId, boolean outgoing, List<New> attachments,
      long now) {
    return db.inTransaction(c -> {
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < attachments.size(); i++) {
        New a = attachments.get(i);
        ids.add(Jdbc.insert(c, "INSERT INTO attachment (message_id, position, direction, file_id, server_id, "
            + "transfer_key, digest, size, ciphertext_size, content_type, file_name, width, height, duration_ms, "
            + "thumbnail, caption, state, error, failure, created_at, waveform, cipher_format, owner, group_id) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", messageId, i,
            outgoing ? "OUT" : "IN", a.fileId(), a.serverId(), a.key(), a.digest(), a.size(), a.ciphertextSize(),
            a.contentType(), a.fileName(), a.width(), a.height(), a.durationMillis(), a.thumbnail(), a.caption(),
            a.state().name(), a.error(), a.error() == null ? null : Failure.INVALID.name(), now,
            a.waveform(), a.cipherFormat(), owner.name(), groupId));
      }
      return ids;
    });
  }

  public Optional<Row> byId(long id) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT " + COLUMNS + " FROM attachment WHERE id = ?",
        AttachmentTable::map, id));
  }

  /** A 1:1 message's attachments in the sender's order. */
  public List<Row> byMessage(long messageId) {
    return byMessage(Owner.MESSAGE, messageId);
  }

  /** A 1:1 or group message's attachments in the sender's order. */
  public List<Row> byMessage(Owner owner, long messageId) {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT " + COLUMNS + " FROM attachment WHERE message_id = ? "
        + "AND owner = ? ORDER BY position", AttachmentTable::map, messageId, owner.name()));
  }

  /** The attachments of many 1:1 messages (a page of history) in one query, by message id, each in order. */
  public Map<Long, List<Row>> byMessages(Collection<Long> messageIds) {
    return byMessages(Owner.MESSAGE, messageIds);
  }

  /** The attachments of many 1:1 or group messages in one query, by message id, each in order. */
  public Map<Long, List<Row>> byMessages(Owner owner, Collection<Long> messageIds) {
    Map<Long, List<Row>> result = new LinkedHashMap<>();
    if (messageIds.isEmpty()) {
      return result;
    }
    List<Row> rows = db.inTransaction(c -> Jdbc.list(c, "SELECT " + COLUMNS + " FROM attachment WHERE "
        + "message_id = ANY(?) AND owner = ? ORDER BY message_id, position", AttachmentTable::map,
        (Object) messageIds.toArray(Long[]::new), owner.name()));
    for (Row row : rows) {
      result.computeIfAbsent(row.messageId(), id -> new ArrayList<>()).add(row);
    }
    return result;
  }

  /** Whether 1:1 message {@code messageId} has attachments. */
  public boolean any(long messageId) {
    return db.inTransaction(c -> Jdbc.one(c, "SELECT 1 FROM attachment WHERE message_id = ?" + ONE_TO_ONE
        + " LIMIT 1", r -> 1, messageId)).isPresent();
  }

  /** The stored picture of {@code groupId} with this digest (the pointer in the group's state), if any. */
  public Optional<Row> groupPicture(String groupId, byte[] digest) {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT " + COLUMNS + " FROM attachment WHERE group_id = ? AND "
        + "owner = 'GROUP_PICTURE' ORDER BY id DESC", AttachmentTable::map, groupId)).stream()
        .filter(r -> Arrays.equals(r.digest(), digest)).findFirst();
  }

  /** Attachments in {@code state} (downloads to resume after a restart). */
  public List<Row> inState(AttachmentState state) {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT " + COLUMNS + " FROM attachment WHERE state = ? ORDER BY id",
        AttachmentTable::map, state.name()));
  }

  /** Every local file id, to find files that no row names (left by a crash before a commit). */
  public List<String> fileIds() {
    return db.inTransaction(c -> Jdbc.list(c, "SELECT file_id FROM attachment", r -> r.getString(1)));
  }

  /** Moves an attachment to {@code state}, clearing the error; returns whether it was there. */
  public boolean setState(long id, AttachmentState state) {
    return db.inTransaction(c -> Jdbc.update(c, "UPDATE attachment SET state = ?, error = NULL, failure = NULL "
        + "WHERE id = ?", state.name(), id) == 1);
  }

  /** Moves an attachment to {@code state} only if it is in {@code from}; returns whether it moved. */
  public boolean moveState(long id, AttachmentState from, AttachmentState to) {
    return db.inTransaction(c -> Jdbc.update(c, "UPDATE attachment SET state = ?, error = NULL, failure = NULL "
        + "WHERE id = ? AND state = ?", to.name(), id, from.name()) == 1);
  }

  /** Records a failed transfer (FAILED or EXPIRED) and why. */
  public void fail(long id, AttachmentState state, Failure failure, String error) {
    db.run(c -> Jdbc.update(c, "UPDATE attachment SET state = ?, failure = ?, error = ? WHERE id = ?", state.name(),
        failure.name(), error.length() > 1000 ? error.substring(0, 1000) : error, id));
  }

  public void setTransferred(long id, long transferred) {
    db.run(c -> Jdbc.update(c, "UPDATE attachment SET transferred = ? WHERE id = ?", transferred, id));
  }

  /** Records the server's slot for an outgoing attachment (null: reserve a new one). */
  public void setServerId(long id, String serverId) {
    db.run(c -> Jdbc.update(c, "UPDATE attachment SET server_id = ?, transferred = 0 WHERE id = ?", serverId, id));
  }

  /** Deletes the attachments of the given messages; returns the deleted rows (their files are the caller's). */
  public List<Row> deleteByMessages(Collection<Long> messageIds) {
    if (messageIds.isEmpty()) {
      return List.of();
    }
    return db.inTransaction(c -> {
      Object ids = messageIds.toArray(Long[]::new);
      List<Row> rows = Jdbc.list(c, "SELECT " + COLUMNS + " FROM attachment WHERE message_id = ANY(?)"
          + ONE_TO_ONE, AttachmentTable::map, ids);
      Jdbc.update(c, "DELETE FROM attachment WHERE message_id = ANY(?)" + ONE_TO_ONE, ids);
      return rows;
    });
  }
}
