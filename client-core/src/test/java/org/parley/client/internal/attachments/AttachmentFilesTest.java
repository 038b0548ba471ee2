package org.parley.client.internal.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.CorruptAttachmentException;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NotFoundException;
import org.signal.libsignal.protocol.kdf.HKDF;

class AttachmentFilesTest {

  private static final byte[] MARKER =
      "MARKER-7f3a-plaintext-that-must-not-be-on-disk".getBytes(StandardCharsets.US_ASCII);

  @TempDir
  Path dataDir;

  @TempDir
  Path saveDir;

  @Test
  void anAttachmentIsStoredEncryptedOwnerOnlyAndReadsBackAfterReopening() throws Exception {
    byte[] plaintext = withMarker(200_000);
    AttachmentFiles files = AttachmentFiles.open(dataDir);
    files.store("a1", new ByteArrayInputStream(plaintext), plaintext.length);

    Path stored = dataDir.resolve("attachments").resolve("a1");
    byte[] onDisk = Files.readAllBytes(stored);
    assertThat(indexOf(onDisk, MARKER)).as("plaintext on disk").isEqualTo(-1);
    assertThat(Arrays.copyOfRange(onDisk, onDisk.length - 8, onDisk.length))
        .as("the trailer of a chunked AES-GCM file").isEqualTo("PARLEYA3".getBytes(StandardCharsets.US_ASCII));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored.getParent())))
        .isEqualTo("rwx------");

    AttachmentFiles reopened = AttachmentFiles.open(dataDir);
    assertThat(reopened.contains("a1")).isTrue();
    assertThat(reopened.size("a1")).isEqualTo(plaintext.length);
    assertThat(read(reopened, "a1")).isEqualTo(plaintext);
  }

  @Test
  void withoutTheDatabaseKeyTheFilesAreUseless() throws Exception {
    byte[] plaintext = withMarker(5000);
    AttachmentFiles.open(dataDir).store("a1", new ByteArrayInputStream(plaintext), plaintext.length);
    Path otherDataDir = Files.createDirectories(saveDir.resolve("other"));
    AttachmentFiles other = AttachmentFiles.open(otherDataDir);
    Files.copy(dataDir.resolve("attachments/a1"), otherDataDir.resolve("attachments/a1"));
    assertThatThrownBy(() -> read(other, "a1")).isInstanceOf(CorruptAttachmentException.class)
        .hasMessageContaining("does not unwrap");
  }

  @Test
  void aDamagedStoredFileIsAnErrorAndSavesNothing() throws Exception {
    byte[] plaintext = withMarker(70_000);
    AttachmentFiles files = AttachmentFiles.open(dataDir);
    files.store("a1", new ByteArrayInputStream(plaintext), plaintext.length);
    Path stored = dataDir.resolve("attachments/a1");
    byte[] original = Files.readAllBytes(stored);
    // The IV, the middle, the MAC, then the trailer: salt, size, wrapped key, magic.
    int trailer = original.length - AttachmentFiles.TRAILER_LENGTH;
    for (int position : new int[] {0, 10, 30_000, trailer - 1, trailer, trailer + 35, trailer + 60,
        original.length - 1}) {
      byte[] damaged = original.clone();
      damaged[position] ^= 0x10;
      Files.write(stored, damaged);
      assertThatThrownBy(() -> files.saveAs("a1", saveDir, "photo.jpg", "attachment"))
          .as("byte %d changed", position).isInstanceOf(CorruptAttachmentException.class);
      try (Stream<Path> saved = Files.list(saveDir)) {
        assertThat(saved).as("nothing saved for byte %d", position).isEmpty();
      }
    }
    Files.write(stored, Arrays.copyOf(original, original.length - 7));
    assertThatThrownBy(() -> read(files, "a1")).isInstanceOf(CorruptAttachmentException.class);
    Files.write(stored, Arrays.copyOf(original, 20));
    assertThatThrownBy(() -> read(files, "a1")).isInstanceOf(CorruptAttachmentException.class)
        .hasMessageContaining("no valid header");
  }

  @Test
  void aDownloadIsStoredOnlyWhenItsDigestAndMacVerify() throws Exception {
    byte[] plaintext = withMarker(30_000);
    AttachmentKey key = AttachmentKey.random();
    Path download = saveDir.resolve("download.bin");
    AttachmentCipher.Sealed sealed;
    try (OutputStream out = Files.newOutputStream(download)) {
      sealed = AttachmentCipher.encrypt(key, new ByteArrayInputStream(plaintext), plaintext.length, out);
    }
    AttachmentFiles files = AttachmentFiles.open(dataDir);
    byte[] tampered = Files.readAllBytes(download);
    files.storeDownloaded("good", key, sealed.digest(), plaintext.length, download);
    assertThat(read(files, "good")).isEqualTo(plaintext);

    tampered[tampered.length / 2] ^= 1;
    Files.write(download, tampered);
    assertThatThrownBy(() -> files.storeDownloaded("bad", key, sealed.digest(), plaintext.length, download))
        .isInstanceOf(CorruptAttachmentException.class);
    assertThat(files.contains("bad")).isFalse();
    assertThat(listing(dataDir.resolve("attachments"))).containsExactly("good");
  }

  @Test
  void theStoredFileIsTheDownloadAsItWasAndItsCiphertextIsWhatIsUploaded() throws Exception {
    byte[] plaintext = withMarker(40_000);
    AttachmentKey key = AttachmentKey.random();
    Path download = dataDir.resolve("download.part");
    AttachmentCipher.Sealed sealed;
    try (OutputStream out = Files.newOutputStream(download)) {
      sealed = AttachmentCipher.encrypt(key, new ByteArrayInputStream(plaintext), plaintext.length, out);
    }
    byte[] ciphertext = Files.readAllBytes(download);
    AttachmentFiles files = AttachmentFiles.open(dataDir);
    AttachmentCipher.Verifier verifier = AttachmentCipher.Verifier.of(key, ciphertext.length, plaintext.length);
    verifier.update(ciphertext, 0, ciphertext.length);
    files.storeDownloaded("d1", key, sealed.digest(), plaintext.length, download, verifier);

    assertThat(download).as("moved into the store, not copied").doesNotExist();
    byte[] stored = Files.readAllBytes(dataDir.resolve("attachments/d1"));
    assertThat(Arrays.copyOf(stored, ciphertext.length)).isEqualTo(ciphertext);
    assertThat(stored).hasSize(ciphertext.length + AttachmentFiles.TRAILER_LENGTH);
    assertThat(files.ciphertextOf("d1")).hasValue(new AttachmentFiles.Ciphertext(
        dataDir.resolve("attachments/d1"), ciphertext.length));
    assertThat(read(AttachmentFiles.open(dataDir), "d1")).isEqualTo(plaintext);
    assertThat(indexOf(stored, key.bytes())).as("the attachment key in the clear").isEqualTo(-1);

    Path other = dataDir.resolve("other.part");
    Files.write(other, ciphertext);
    AttachmentCipher.Verifier wrong = AttachmentCipher.Verifier.of(key, ciphertext.length, plaintext.length);
    byte[] tampered = ciphertext.clone();
    tampered[100] ^= 1;
    wrong.update(tampered, 0, tampered.length); // what arrived was tampered, whatever the file holds now
    assertThatThrownBy(() -> files.storeDownloaded("d2", key, sealed.digest(), plaintext.length, other, wrong))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("digest");
    assertThat(files.contains("d2")).isFalse();
  }

  /**
   * A file of the first format, written here by hand from its description in ADR 0121 ({@code "PARLEYA1" || salt
   * || size || ciphertext} under HKDF(HKDF(db key), salt, info || size)), as clients before ADR 0122 stored them.
   */
  @Test
  void filesOfTheFirstFormatStillRead() throws Exception {
    byte[] plaintext = withMarker(90_000);
    AttachmentFiles files = AttachmentFiles.open(dataDir);
    byte[] databaseKey = HexFormat.of().parseHex(Files.readString(dataDir.resolve("db.key")).trim());
    byte[] master = HKDF.deriveSecrets(databaseKey, "Parley attachments at rest".getBytes(StandardCharsets.US_ASCII),
        "Parley attachment file key v1".getBytes(StandardCharsets.US_ASCII), 32);
    byte[] salt = new byte[32];
    new Random(3).nextBytes(salt);
    byte[] info = ByteBuffer.allocate(29 + 8).put("Parley attachment file key v1".getBytes(StandardCharsets.US_ASCII))
        .putLong(plaintext.length).array();
    AttachmentKey fileKey = AttachmentKey.of(HKDF.deriveSecrets(master, salt, info, 64));
    ByteArrayOutputStream old = new ByteArrayOutputStream();
    old.write(ByteBuffer.allocate(48).put("PARLEYA1".getBytes(StandardCharsets.US_ASCII)).put(salt)
        .putLong(plaintext.length).array());
    AttachmentCipher.EncryptingStream body = AttachmentCipher.encryptingStream(AttachmentFormat.CBC_HMAC, fileKey,
        plaintext.length, plaintext.length, old);
    body.write(plaintext);
    body.finish();
    Files.write(dataDir.resolve("attachments/old1"), old.toByteArray());

    assertThat(files.size("old1")).isEqualTo(plaintext.length);
    assertThat(read(files, "old1")).isEqualTo(plaintext);
    assertThat(files.ciphertextOf("old1")).as("uploaded from its separate copy").isEmpty();
    Path saved = files.saveAs("old1", saveDir, "old.bin", "attachment");
    assertThat(Files.readAllBytes(saved)).isEqualTo(plaintext);
    byte[] damaged = old.toByteArray();
    damaged[60] ^= 1;
    Files.write(dataDir.resolve("attachments/old1"), damaged);
    assertThatThrownBy(() -> read(files, "old1")).isInstanceOf(CorruptAttachmentException.class)
        .hasMessageContaining("MAC does not verify");
  }

  /** The second layout (ADR 0122 before chunked AES-GCM): the CBC_HMAC transport ciphertext, "PARLEYA2" trailer. */
  @Test
  void filesOfTheSecondFormatStillReadAndUploadAsCbc() throws Exception {
    byte[] plaintext = withMarker(300_000);
    AttachmentFiles files = AttachmentFiles.open(dataDir);
    AttachmentKey key = AttachmentKey.random();
    long padded = PaddedSizes.paddedSize(plaintext.length);
    try (AttachmentFiles.PendingFile pending = files.create("cbc1", AttachmentFormat.CBC_HMAC, key,
        plaintext.length, padded)) {
      pending.stream().write(plaintext);
      pending.commit();
    }
    byte[] onDisk = Files.readAllBytes(dataDir.resolve("attachments/cbc1"));
    assertThat(Arrays.copyOfRange(onDisk, onDisk.length - 8, onDisk.length))
        .isEqualTo("PARLEYA2".getBytes(StandardCharsets.US_ASCII));
    AttachmentFiles reopened = AttachmentFiles.open(dataDir);
    assertThat(read(reopened, "cbc1")).isEqualTo(plaintext);
    AttachmentFiles.Ciphertext upload = reopened.ciphertextOf("cbc1").orElseThrow();
    assertThat(upload.length()).isEqualTo(AttachmentFormat.CBC_HMAC.ciphertextLength(padded));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AttachmentCipher.decrypt(AttachmentFormat.CBC_HMAC, key, null, plaintext.length, upload.file(), 0,
        upload.length(), out);
    assertThat(out.toByteArray()).isEqualTo(plaintext);

    // The magic is authenticated with the wrapped key: relabelling the file as the other format fails.
    onDisk[onDisk.length - 1] = '3';
    Files.write(dataDir.resolve("attachments/cbc1"), onDisk);
    assertThatThrownBy(() -> read(reopened, "cbc1")).isInstanceOf(CorruptAttachmentException.class)
        .hasMessageContaining("does not unwrap");
  }

  @Test
  void anUnfinishedWriteLeavesTheEarlierFileAndLeftoversAreCleanedOnOpen() throws Exception {
    AttachmentFiles files = AttachmentFiles.open(dataDir);
    files.store("a1", new ByteArrayInputStream(new byte[] {1, 2, 3}), 3);
    try (AttachmentFiles.PendingFile pending = files.create("a1", 10)) {
      pending.stream().write(new byte[] {9, 9, 9, 9});
      // closed without commit, as when the download or the sender's copy fails half way
    }
    assertThat(read(files, "a1")).containsExactly(1, 2, 3);
    assertThat(listing(dataDir.resolve("attachments"))).containsExactly("a1");

    try (AttachmentFiles.PendingFile pending = files.create("a1", 10)) {
      pending.stream().write(new byte[4]);
      assertThatThrownBy(pending::commit).isInstanceOf(IOException.class).hasMessageContaining("Only 4 of the 10");
    }
    assertThat(read(files, "a1")).containsExactly(1, 2, 3);

    Files.write(dataDir.resolve("attachments/.tmp-12345"), new byte[100]); // a crash mid-write
    AttachmentFiles.open(dataDir);
    assertThat(listing(dataDir.resolve("attachments"))).containsExactly("a1");
  }

  @Test
  void deletingRemovesTheFileAndBadOrUnknownIdsGetClearErrors() throws Exception {
    AttachmentFiles files = AttachmentFiles.open(dataDir);
    files.store("a1", new ByteArrayInputStream(new byte[] {1}), 1);
    assertThat(files.delete("a1")).isTrue();
    assertThat(files.delete("a1")).isFalse();
    assertThat(files.contains("a1")).isFalse();
    assertThatThrownBy(() -> read(files, "a1")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("No attachment a1");
    for (String bad : Arrays.asList("../db.key", "", "a/b", "x".repeat(65), ".tmp", null)) {
      assertThatThrownBy(() -> files.contains(bad)).as("id %s", bad).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("An attachment id is");
    }
    assertThatThrownBy(() -> files.store("b", new ByteArrayInputStream(new byte[2]), 3))
        .isInstanceOf(IOException.class);
    assertThat(files.contains("b")).isFalse();
  }

  @Test
  void savingPicksAFreshSafeNameInsideTheDirectoryAndNeverReplacesAFile() throws Exception {
    AttachmentFiles files = AttachmentFiles.open(dataDir);
    byte[] plaintext = withMarker(1000);
    files.store("a1", new ByteArrayInputStream(plaintext), plaintext.length);
    Files.writeString(saveDir.resolve("photo.jpg"), "mine");
    Files.createSymbolicLink(saveDir.resolve("photo (2).jpg"), dataDir.resolve("elsewhere"));

    Path first = files.saveAs("a1", saveDir, "photo.jpg", "attachment");
    Path escape = files.saveAs("a1", saveDir, "../../evil.sh", "attachment");
    Path absolute = files.saveAs("a1", saveDir, "/etc/passwd", "attachment");
    Path device = files.saveAs("a1", saveDir, "CON", "attachment");
    Path nothing = files.saveAs("a1", saveDir, "...", "picture.jpg");

    Path real = saveDir.toRealPath();
    assertThat(first).isEqualTo(real.resolve("photo (3).jpg"));
    assertThat(escape).isEqualTo(real.resolve("evil.sh"));
    assertThat(absolute).isEqualTo(real.resolve("passwd"));
    assertThat(device).isEqualTo(real.resolve("_CON"));
    assertThat(nothing).isEqualTo(real.resolve("picture.jpg"));
    assertThat(Files.readString(saveDir.resolve("photo.jpg"))).isEqualTo("mine");
    assertThat(Files.exists(dataDir.resolve("elsewhere"))).as("the link was not followed").isFalse();
    for (Path saved : List.of(first, escape, absolute, device, nothing)) {
      assertThat(Files.readAllBytes(saved)).isEqualTo(plaintext);
    }
    Path fresh = Files.createFile(saveDir.resolve("fresh"));
    assertThat(Files.getPosixFilePermissions(first)).as("the user's umask, not owner-only temp permissions")
        .isEqualTo(Files.getPosixFilePermissions(fresh));
    assertThat(listing(saveDir)).noneMatch(name -> name.endsWith(".part"));

    assertThatThrownBy(() -> files.saveAs("a1", saveDir.resolve("photo.jpg"), "x", "y"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a directory");
  }

  private static byte[] read(AttachmentFiles files, String id) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    files.copyTo(id, out);
    return out.toByteArray();
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static byte[] withMarker(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    System.arraycopy(MARKER, 0, bytes, size / 3, MARKER.length);
    return bytes;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
