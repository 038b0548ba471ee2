package org.parley.client.internal.media;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.client.api.attachments.AttachmentProgress;
import org.parley.client.internal.events.Events;
import org.parley.client.internal.messaging.AttachmentViews;
import org.parley.client.internal.messaging.Conversations;
import org.parley.client.internal.store.AttachmentTable;

/**
 * Tells listeners about attachments: state changes as they are stored, and progress at most every
 * {@link #PROGRESS_INTERVAL_MILLIS} per transfer plus the last one (a loopback transfer reports every 64 KiB).
 * The transferred count is stored at the same pace, so a front end opened later shows it too.
 */
final class MediaEvents {

  static final long PROGRESS_INTERVAL_MILLIS = 200;

  private final AttachmentTable table;
  private final Conversations conversations;
  private final Events events;
  private final Map<Long, Long> lastProgress = new ConcurrentHashMap<>();

  MediaEvents(AttachmentTable table, Conversations conversations, Events events) {
    this.table = table;
    this.conversations = conversations;
    this.events = events;
  }

  /** Fires {@code attachmentChanged} with the attachment as stored now. */
  void changed(long attachmentId) {
    table.byId(attachmentId).ifPresent(row -> events.fire(l -> l.attachmentChanged(AttachmentViews.of(row))));
  }

  /**
   * A progress callback for one transfer of {@code row}, counting ciphertext bytes and reporting their
   * plaintext-equivalent share of the attachment's size.
   */
  Progress progress(AttachmentTable.Row row, boolean upload) {
    String number = row.groupId() != null ? row.groupId() : conversations.numberOf(row.messageId()).orElse("");
    lastProgress.remove(row.id());
    return new Progress(row, upload, number);
  }

  /** Throttles one transfer's progress. */
  final class Progress {
    private final AttachmentTable.Row row;
    private final boolean upload;
    private final String number;

    private Progress(AttachmentTable.Row row, boolean upload, String number) {
      this.row = row;
      this.upload = upload;
      this.number = number;
    }

    void transferred(long done, long total) {
      long now = System.nanoTime() / 1_000_000;
      Long last = lastProgress.get(row.id());
      boolean end = done >= total;
      if (!end && last != null && now - last < PROGRESS_INTERVAL_MILLIS) {
        return;
      }
      lastProgress.put(row.id(), now);
      long plain = total <= 0 ? row.size() : Math.min(row.size(), (long) ((double) done / total * row.size()));
      table.setTransferred(row.id(), plain);
      AttachmentProgress progress = new AttachmentProgress(row.id(), row.messageId(), number, upload, plain,
          row.size());
      events.fire(l -> l.attachmentProgress(progress));
    }
  }
}
