package org.parley.client.internal.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.voice.VoiceNote;
import org.parley.client.internal.store.AttachmentTable;

/** Stored attachments as the API shows them. */
public final class AttachmentViews {

  private AttachmentViews() {}

  private static Optional<VoiceNote> voiceNote(AttachmentTable.Row row) {
    if (!row.voiceNote()) {
      return Optional.empty();
    }
    List<Integer> waveform = new ArrayList<>(row.waveform().length);
    for (byte level : row.waveform()) {
      waveform.add(level & 0xff);
    }
    long millis = row.durationMillis() == null ? 0 : row.durationMillis();
    return Optional.of(new VoiceNote(Duration.ofMillis(millis), waveform));
  }

  public static Attachment of(AttachmentTable.Row row) {
    return new Attachment(row.id(), row.messageId(), row.contentType(), row.fileName(), row.size(),
        row.width() == null ? OptionalInt.empty() : OptionalInt.of(row.width()),
        row.height() == null ? OptionalInt.empty() : OptionalInt.of(row.height()),
        row.durationMillis() == null ? OptionalLong.empty() : OptionalLong.of(row.durationMillis()),
        Optional.ofNullable(row.thumbnail()).filter(t -> t.length > 0),
        Optional.ofNullable(row.caption()).filter(c -> !c.isEmpty()), row.state(), row.transferred(),
        Optional.ofNullable(row.error()), voiceNote(row),
        Optional.ofNullable(row.groupId()).map(GroupId::new));
  }
}
