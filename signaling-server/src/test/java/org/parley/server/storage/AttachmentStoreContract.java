package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.server.storage.AttachmentStore.State;
import org.parley.server.storage.AttachmentStore.Stored;

/**
 * What every {@link AttachmentStore} must do. Sizes span several 5 MiB parts so the S3 store's multipart and tail
 * logic is exercised; {@link #reopen} stands for a server restart (a new instance over the same storage).
 */
public abstract class AttachmentStoreContract {

  private static final int MIB = 1 << 20;

  /** The store under test, over fresh storage, created on first use. */
  protected abstract AttachmentStore store();

  /** A new store instance over the same storage, as after a restart; closes the old one. */
  protected abstract AttachmentStore reopen();

  @AfterEach
  void closeStore() {
    store().close();
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Writes {@code data[from..to)} in uneven pieces, as network chunks arrive. */
  private static void write(AttachmentStore.Upload upload, byte[] data, int from, int to) throws IOException {
    int[] pieces = {8192, 100_000, 1, 65_536, 333_333};
    int at = from;
    for (int i = 0; at < to; i++) {
      int length = Math.min(pieces[i % pieces.length], to - at);
      upload.write(ByteBuffer.wrap(data, at, length));
      at += length;
    }
  }

  private static byte[] read(AttachmentStore store, String id, long offset, long length) throws IOException {
    try (InputStream in = Channels.newInputStream(store.read(id, offset, length))) {
      return in.readAllBytes();
    }
  }

  @Test
  void anUnknownIdIsAbsentAndCannotBeRead() throws IOException {
    assertThat(store().stat("never-uploaded")).isEqualTo(Stored.ABSENT);
    assertThatThrownBy(() -> read(store(), "never-uploaded", 0, 1)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aCompletedUploadReadsBackWholeAndInRanges() throws IOException {
    byte[] data = random(MIB + 12_345, 1);
    try (AttachmentStore.Upload upload = store().openUpload("whole")) {
      assertThat(upload.position()).isZero();
      write(upload, data, 0, data.length);
      assertThat(upload.position()).isEqualTo(data.length);
      upload.complete();
    }
    assertThat(store().stat("whole")).isEqualTo(new Stored(State.COMPLETE, data.length));
    assertThat(read(store(), "whole", 0, data.length)).isEqualTo(data);
    assertThat(read(store(), "whole", 0, 10)).isEqualTo(Arrays.copyOfRange(data, 0, 10));
    assertThat(read(store(), "whole", 500_000, 70_000)).isEqualTo(Arrays.copyOfRange(data, 500_000, 570_000));
    assertThat(read(store(), "whole", data.length - 7, 7))
        .isEqualTo(Arrays.copyOfRange(data, data.length - 7, data.length));
  }

  @Test
  void persistedBytesOutliveARestartAndTheUploadContinuesThere() throws IOException {
    byte[] data = random(12 * MIB + 77, 2);
    int first = 7 * MIB + 3;
    try (AttachmentStore.Upload upload = store().openUpload("restart")) {
      write(upload, data, 0, first);
      upload.persist();
    }
    AttachmentStore after = reopen();
    assertThat(after.stat("restart")).isEqualTo(new Stored(State.PARTIAL, first));
    assertThatThrownBy(() -> read(after, "restart", 0, 1)).as("not readable before complete")
        .isInstanceOf(NoSuchFileException.class);
    try (AttachmentStore.Upload upload = after.openUpload("restart")) {
      assertThat(upload.position()).isEqualTo(first);
      write(upload, data, first, data.length);
      upload.complete();
    }
    assertThat(after.stat("restart")).isEqualTo(new Stored(State.COMPLETE, data.length));
    assertThat(read(after, "restart", 0, data.length)).isEqualTo(data);
  }

  @Test
  void bytesNotPersistedMayBeLostButContinuingFromThePositionGivesTheExactBytes() throws IOException {
    byte[] data = random(11 * MIB, 3);
    try (AttachmentStore.Upload upload = store().openUpload("lossy")) {
      write(upload, data, 0, 3 * MIB);
      upload.persist();
      write(upload, data, 3 * MIB, 9 * MIB + 5); // crosses a part boundary, then the connection dies
    }
    AttachmentStore after = reopen();
    long durable = after.stat("lossy").bytes();
    assertThat(durable).isBetween(3L * MIB, 9L * MIB + 5);
    try (AttachmentStore.Upload upload = after.openUpload("lossy")) {
      assertThat(upload.position()).isEqualTo(durable);
      write(upload, data, (int) durable, data.length);
      upload.complete();
    }
    assertThat(read(after, "lossy", 0, data.length)).isEqualTo(data);
  }

  @Test
  void manyShortRequestsEachMakeProgress() throws IOException {
    byte[] data = random(13 * MIB, 4);
    int piece = 1_300_000; // far below a 5 MiB part: each request's bytes must still count
    int at = 0;
    while (at < data.length) {
      try (AttachmentStore.Upload upload = store().openUpload("short")) {
        assertThat(upload.position()).isEqualTo(at);
        int to = Math.min(data.length, at + piece);
        write(upload, data, at, to);
        if (to == data.length) {
          upload.complete();
        } else {
          upload.persist();
        }
        at = to;
      }
      if (at < data.length) {
        assertThat(store().stat("short")).isEqualTo(new Stored(State.PARTIAL, at));
      }
    }
    assertThat(read(store(), "short", 0, data.length)).isEqualTo(data);
  }

  @Test
  void aCompleteAttachmentCannotBeUploadedAgain() throws IOException {
    try (AttachmentStore.Upload upload = store().openUpload("done")) {
      upload.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
      upload.complete();
    }
    assertThatThrownBy(() -> store().openUpload("done")).isInstanceOf(IOException.class);
    assertThat(read(store(), "done", 0, 3)).containsExactly(1, 2, 3);
  }

  @Test
  void deleteRemovesCompleteAndPartialBytes() throws IOException {
    byte[] data = random(6 * MIB, 5);
    try (AttachmentStore.Upload upload = store().openUpload("gone-complete")) {
      write(upload, data, 0, data.length);
      upload.complete();
    }
    try (AttachmentStore.Upload upload = store().openUpload("gone-partial")) {
      write(upload, data, 0, data.length - 1); // a whole part and a tail, for S3
      upload.persist();
    }
    store().delete("gone-complete");
    store().delete("gone-partial");
    store().delete("never-there");
    assertThat(store().stat("gone-complete")).isEqualTo(Stored.ABSENT);
    assertThat(store().stat("gone-partial")).isEqualTo(Stored.ABSENT);
    assertThatThrownBy(() -> read(store(), "gone-complete", 0, 1)).isInstanceOf(NoSuchFileException.class);
    try (AttachmentStore.Upload again = store().openUpload("gone-partial")) {
      assertThat(again.position()).as("starts over").isZero();
    }
  }

  @Test
  void uploadsOfDifferentIdsDoNotMix() throws IOException {
    byte[] a = random(200_000, 6);
    byte[] b = random(300_000, 7);
    try (AttachmentStore.Upload ua = store().openUpload("id-a"); AttachmentStore.Upload ub = store().openUpload("id-b")) {
      write(ua, a, 0, a.length / 2);
      write(ub, b, 0, b.length);
      write(ua, a, a.length / 2, a.length);
      ub.complete();
      ua.complete();
    }
    assertThat(read(store(), "id-a", 0, a.length)).isEqualTo(a);
    assertThat(read(store(), "id-b", 0, b.length)).isEqualTo(b);
  }

  @Test
  void refusesIdsThatCouldEscapeTheStore() {
    assertThatThrownBy(() -> store().openUpload("../outside")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().stat("a/b")).isInstanceOf(IllegalArgumentException.class);
  }
}
