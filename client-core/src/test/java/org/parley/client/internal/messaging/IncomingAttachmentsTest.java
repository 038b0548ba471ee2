package org.parley.client.internal.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.internal.attachments.AttachmentFormat;
import org.parley.client.internal.attachments.OutgoingFiles;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.proto.AttachmentPointer;
import org.parley.client.internal.proto.VoiceNote;
import org.parley.client.internal.store.AttachmentTable;

/** What a stranger's pointers become in the real (H2) attachment table: checked, bounded, never a lost message. */
class IncomingAttachmentsTest {

  @TempDir
  Path dir;

  private static AttachmentPointer.Builder valid() {
    return AttachmentPointer.newBuilder().setId("abcdefghijklmnopqrstuvwxyz012345")
        .setKey(ByteString.copyFrom(new byte[64])).setDigest(ByteString.copyFrom(new byte[32])).setSize(1234)
        .setContentType("image/png").setFileName("../../etc/passwd").setWidth(10).setHeight(20);
  }

  @Test
  void goodPointersAreStoredInOrderAndBadOnesBecomeFailedAttachmentsSayingWhy() throws Exception {
    try (Database db = Database.open(dir)) {
      AttachmentTable table = new AttachmentTable(db);
      List<Long> handedOn = new ArrayList<>();
      IncomingAttachments incoming = new IncomingAttachments(table, handedOn::addAll, Clock.systemUTC());
      AfterCommit afterCommit = new AfterCommit();
      String longParameters = "text/PLAIN; charset=utf-8; x=" + "y".repeat(20_000);
      db.run(c -> incoming.store(42, false, List.of(valid().build(),
          valid().setContentType(longParameters).build(),
          valid().setKey(ByteString.copyFrom(new byte[3])).build(),
          valid().setThumbnail(ByteString.copyFromUtf8("not a jpeg")).build()), afterCommit));
      assertThat(handedOn).as("only after the commit").isEmpty();
      afterCommit.run();

      List<AttachmentTable.Row> rows = table.byMessage(42);
      assertThat(handedOn).containsExactlyElementsOf(rows.stream().map(AttachmentTable.Row::id).toList());
      assertThat(rows).extracting(AttachmentTable.Row::state).containsExactly(AttachmentState.NOT_DOWNLOADED,
          AttachmentState.NOT_DOWNLOADED, AttachmentState.FAILED, AttachmentState.FAILED);
      assertThat(rows.get(0).fileName()).as("kept as sent; made safe only when saved").isEqualTo("../../etc/passwd");
      assertThat(rows.get(0).width()).isEqualTo(10);
      assertThat(rows.get(0).ciphertextSize()).isGreaterThan(1234);
      assertThat(rows.get(1).contentType()).isEqualTo("text/plain");
      assertThat(rows.get(2).error()).contains("key must be 64 bytes");
      assertThat(rows.get(2).key()).isNull();
      assertThat(rows.get(3).error()).contains("thumbnail is not a JPEG");
      assertThat(rows).extracting(AttachmentTable.Row::fileId).doesNotHaveDuplicates()
          .allMatch(id -> id.matches("[A-Za-z0-9_-]{22}"));
    }
  }

  @Test
  void aVoiceNoteKeepsItsDurationAndWaveformAndABadOneFailsSayingWhy() throws Exception {
    try (Database db = Database.open(dir)) {
      AttachmentTable table = new AttachmentTable(db);
      IncomingAttachments incoming = new IncomingAttachments(table, ids -> { }, Clock.systemUTC());
      byte[] waveform = new byte[64];
      waveform[10] = (byte) 200;
      VoiceNote note = VoiceNote.newBuilder().setDurationMs(2500).setWaveform(ByteString.copyFrom(waveform)).build();
      AfterCommit afterCommit = new AfterCommit();
      db.run(c -> incoming.store(43, false, List.of(
          valid().setContentType("audio/ogg").clearWidth().clearHeight().setVoiceNote(note).build(),
          valid().setContentType("audio/ogg").setVoiceNote(note.toBuilder()
              .setWaveform(ByteString.copyFrom(new byte[300]))).build(),
          valid().build()), afterCommit));
      afterCommit.run();

      List<AttachmentTable.Row> rows = table.byMessage(43);
      assertThat(rows.get(0).voiceNote()).isTrue();
      assertThat(rows.get(0).durationMillis()).isEqualTo(2500);
      assertThat(rows.get(0).waveform()).isEqualTo(waveform);
      var shown = AttachmentViews.of(rows.get(0)).voiceNote().orElseThrow();
      assertThat(shown.duration()).hasMillis(2500);
      assertThat(shown.waveform()).hasSize(64).element(10).isEqualTo(200);
      assertThat(rows.get(1).state()).isEqualTo(AttachmentState.FAILED);
      assertThat(rows.get(1).error()).contains("at most 256 buckets, not 300");
      assertThat(rows.get(2).voiceNote()).as("a picture is no voice note").isFalse();
      assertThat(AttachmentViews.of(rows.get(2)).voiceNote()).isEmpty();
    }
  }

  @Test
  void theCipherFormatDecidesTheCiphertextSizeAndAnUnknownOneFailsSayingWhy() throws Exception {
    try (Database db = Database.open(dir)) {
      AttachmentTable table = new AttachmentTable(db);
      IncomingAttachments incoming = new IncomingAttachments(table, ids -> { }, Clock.systemUTC());
      AfterCommit afterCommit = new AfterCommit();
      db.run(c -> incoming.store(44, false, List.of(valid().build(), valid().setCipherFormat(1).build(),
          valid().setCipherFormat(2).build(), valid().setCipherFormat(99).build()), afterCommit));
      afterCommit.run();

      List<AttachmentTable.Row> rows = table.byMessage(44);
      assertThat(rows).extracting(AttachmentTable.Row::cipherFormat).as("no field: a pointer of an older client")
          .containsExactly(1, 1, 2, 1);
      assertThat(rows.get(0).ciphertextSize()).isEqualTo(rows.get(1).ciphertextSize())
          .isEqualTo(OutgoingFiles.ciphertextSizeOf(AttachmentFormat.CBC_HMAC, 1234));
      assertThat(rows.get(2).ciphertextSize()).isEqualTo(OutgoingFiles.ciphertextSizeOf(AttachmentFormat.CHUNKED_GCM,
          1234)).isNotEqualTo(rows.get(0).ciphertextSize());
      assertThat(rows.get(3).state()).isEqualTo(AttachmentState.FAILED);
      assertThat(rows.get(3).error()).contains("cipher format 99 is unknown");
    }
  }

  @Test
  void aMessageWithoutPointersStoresNothingAndHandsNothingOn() throws Exception {
    try (Database db = Database.open(dir)) {
      AttachmentTable table = new AttachmentTable(db);
      List<Long> handedOn = new ArrayList<>();
      AfterCommit afterCommit = new AfterCommit();
      new IncomingAttachments(table, handedOn::addAll, Clock.systemUTC()).store(7, false, List.of(), afterCommit);
      assertThat(afterCommit.isEmpty()).isTrue();
      assertThat(table.byMessage(7)).isEmpty();
    }
  }
}
