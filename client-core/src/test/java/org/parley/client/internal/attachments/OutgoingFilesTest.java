package org.parley.client.internal.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.exif.GpsDirectory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.attachments.OutgoingAttachment;

/** Preparing a chosen file for sending: checks, stripping, thumbnail, and the two encrypted copies agreeing. */
class OutgoingFilesTest {

  @TempDir
  Path dataDir;
  @TempDir
  Path chosen;
  private AttachmentFiles files;
  private OutgoingFiles outgoing;

  @BeforeEach
  void open() throws Exception {
    files = AttachmentFiles.open(dataDir);
    outgoing = new OutgoingFiles(files, dataDir.resolve("attachments").resolve(".upload"), Thumbnails.DEFAULT);
  }

  private byte[] local(String fileId) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    files.copyTo(fileId, out);
    return out.toByteArray();
  }

  /** What the receiver gets: the transport ciphertext decrypted with the pointer's key and digest. */
  private byte[] transported(OutgoingFiles.Prepared prepared) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AttachmentFiles.Ciphertext upload = outgoing.uploadSource(prepared.fileId(), prepared.ciphertextSize());
    AttachmentCipher.decrypt(prepared.key(), prepared.digest(), prepared.size(), upload.file(), 0, upload.length(),
        out);
    return out.toByteArray();
  }

  @Test
  void aPictureIsStrippedThumbnailedAndBothCopiesHoldTheSameBytes() throws Exception {
    byte[] jpeg = TestPictures.withSegments(TestPictures.jpeg(TestPictures.photo(120, 80, 4), false),
        TestPictures.segment(0xE1, TestPictures.exifWithGps(1)));
    assertThat(ImageMetadataReader.readMetadata(new ByteArrayInputStream(jpeg))
        .containsDirectoryOfType(GpsDirectory.class)).as("the fixture has GPS").isTrue();
    Path picture = chosen.resolve("photo.jpg");
    Files.write(picture, jpeg);

    OutgoingFiles.Prepared prepared = outgoing.prepare(OutgoingAttachment.of(picture),
        OutgoingFiles.DEFAULT_SERVER_MAX);

    assertThat(prepared.contentType()).isEqualTo("image/jpeg");
    assertThat(prepared.fileName()).isEqualTo("photo.jpg");
    assertThat(prepared.thumbnail()).hasValueSatisfying(t -> {
      assertThat(t.width()).isEqualTo(120);
      assertThat(t.height()).isEqualTo(80);
    });
    byte[] sent = transported(prepared);
    assertThat(sent).isEqualTo(local(prepared.fileId()));
    assertThat(sent.length).isLessThan(jpeg.length).isEqualTo((int) prepared.size());
    assertThat(ImageMetadataReader.readMetadata(new ByteArrayInputStream(sent))
        .containsDirectoryOfType(GpsDirectory.class)).as("GPS after stripping").isFalse();
    assertThat(files.ciphertextOf(prepared.fileId())).hasValueSatisfying(c -> assertThat(c.length())
        .isEqualTo(prepared.ciphertextSize()).isEqualTo(OutgoingFiles.ciphertextSizeOf(prepared.size())));
    assertThat(outgoing.uploadFile(prepared.fileId())).as("no second encrypted copy").doesNotExist();
  }

  @Test
  void aFileSentAsAFileKeepsEveryByteAndGetsNoThumbnail() throws Exception {
    byte[] jpeg = TestPictures.withSegments(TestPictures.jpeg(TestPictures.photo(60, 40, 5), false),
        TestPictures.segment(0xE1, TestPictures.exifWithGps(1)));
    Path picture = chosen.resolve("keep.jpg");
    Files.write(picture, jpeg);

    OutgoingFiles.Prepared prepared = outgoing.prepare(new OutgoingAttachment(picture, Optional.of("image/jpeg"),
        Optional.of("as it is"), true), OutgoingFiles.DEFAULT_SERVER_MAX);

    assertThat(transported(prepared)).isEqualTo(jpeg);
    assertThat(local(prepared.fileId())).isEqualTo(jpeg);
    assertThat(prepared.thumbnail()).isEmpty();
    assertThat(prepared.caption()).hasValue("as it is");
  }

  @Test
  void refusedFilesLeaveNothingBehind() throws Exception {
    Path big = chosen.resolve("big.bin");
    try (RandomAccessFile sparse = new RandomAccessFile(big.toFile(), "rw")) {
      sparse.setLength(2_000_000);
    }
    assertThatThrownBy(() -> outgoing.prepare(OutgoingAttachment.of(big), 1_000_000))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("big.bin is too large")
        .hasMessageContaining("1.0 MB");
    assertThatThrownBy(() -> outgoing.prepare(OutgoingAttachment.of(chosen.resolve("gone.bin")), 1_000_000))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("There is no file");
    assertThatThrownBy(() -> outgoing.prepare(OutgoingAttachment.of(chosen), 1_000_000))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not a file");
    Path secret = chosen.resolve("secret.bin");
    Files.write(secret, new byte[10]);
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
    if (!Files.isReadable(secret)) { // root reads anything
      assertThatThrownBy(() -> outgoing.prepare(OutgoingAttachment.of(secret), 1_000_000))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("Cannot read");
    }
    byte[] jpeg = TestPictures.jpeg(TestPictures.photo(60, 40, 6), false);
    Path broken = chosen.resolve("broken.jpg");
    Files.write(broken, Arrays.copyOf(jpeg, jpeg.length / 2));
    assertThatThrownBy(() -> outgoing.prepare(OutgoingAttachment.of(broken), 1_000_000))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("broken.jpg")
        .hasMessageContaining("send it as a file");
    Path typed = chosen.resolve("typed.bin");
    Files.write(typed, new byte[10]);
    assertThatThrownBy(() -> outgoing.prepare(new OutgoingAttachment(typed, Optional.of("text/plain\r\nX: y"),
        Optional.empty(), true), 1_000_000)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a MIME type");

    try (Stream<Path> left = Files.walk(dataDir.resolve("attachments"))) {
      assertThat(left.filter(Files::isRegularFile)).as("files left by refused attachments").isEmpty();
    }
  }

  @Test
  void twoPreparationsOfOneFileUseTheirOwnKeysAndIds() throws Exception {
    byte[] bytes = new byte[50_000];
    new Random(1).nextBytes(bytes);
    Path file = chosen.resolve("twice.bin");
    Files.write(file, bytes);
    OutgoingFiles.Prepared first = outgoing.prepare(OutgoingAttachment.of(file), OutgoingFiles.DEFAULT_SERVER_MAX);
    OutgoingFiles.Prepared second = outgoing.prepare(OutgoingAttachment.of(file), OutgoingFiles.DEFAULT_SERVER_MAX);
    assertThat(first.fileId()).isNotEqualTo(second.fileId()).matches("[A-Za-z0-9_-]{22}");
    assertThat(first.key()).isNotEqualTo(second.key());
    assertThat(first.digest()).isNotEqualTo(second.digest());
    assertThat(first.contentType()).isEqualTo("application/octet-stream");
    assertThat(transported(first)).isEqualTo(bytes);
    outgoing.discard(first.fileId());
    assertThat(files.contains(first.fileId())).isFalse();
    assertThatThrownBy(() -> outgoing.uploadSource(first.fileId(), first.ciphertextSize()))
        .isInstanceOf(IOException.class);
    assertThat(transported(second)).isEqualTo(bytes);
  }
}
