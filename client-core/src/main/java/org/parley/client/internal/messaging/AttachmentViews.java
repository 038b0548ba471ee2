package org.parley.client.internal.messaging;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.internal.store.AttachmentTable;

/** Stored attachments as the API shows them. */
public final class AttachmentViews {

  private AttachmentViews() {}

  public static Attachment of(AttachmentTable.Row row) {
    return new Attachment(row.id(), row.messageId(), row.contentType(), row.fileName(), row.size(),
        row.width() == null ? OptionalInt.empty() : OptionalInt.of(row.width()),
        row.height() == null ? OptionalInt.empty() : OptionalInt.of(row.height()),
        row.durationMillis() == null ? OptionalLong.empty() : OptionalLong.of(row.durationMillis()),
        Optional.ofNullable(row.thumbnail()).filter(t -> t.length > 0),
        Optional.ofNullable(row.caption()).filter(c -> !c.isEmpty()), row.state(), row.transferred(),
        Optional.ofNullable(row.error()));
  }
}
