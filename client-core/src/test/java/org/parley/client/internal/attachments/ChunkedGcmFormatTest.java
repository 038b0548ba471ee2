package org.parley.client.internal.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.CorruptAttachmentException;

/**
 * The chunked AES-GCM attachment format (ADR 0122): its layout pinned with plain JCE calls, and what an attacker who
 * can change the server's copy (or the local file, when no digest is at hand) can do to the chunks.
 */
class ChunkedGcmFormatTest {

  private static final AttachmentFormat GCM = AttachmentFormat.CHUNKED_GCM;
  private static final int CHUNK = AttachmentCipher.GCM_CHUNK;
  private static final int SEALED = AttachmentCipher.GCM_SEALED_CHUNK;
  private static final int HEADER = AttachmentCipher.GCM_HEADER;

  @TempDir
  Path dir;

  private final Random random = new Random(5);

  @Test
  void theLayoutIsASaltThenChunksSealedUnderHkdfWithTheirIndexAndALastFlagAsNonce() throws Exception {
    byte[] plaintext = randomBytes(3 * CHUNK + 1000);
    AttachmentKey key = AttachmentKey.random();
    byte[] blob = encrypt(key, plaintext);
    long padded = PaddedSizes.paddedSize(plaintext.length);
    long chunks = (padded + CHUNK - 1) / CHUNK;
    assertThat(chunks).isEqualTo(4);
    assertThat((long) blob.length).isEqualTo(HEADER + padded + 16 * chunks);

    // HKDF-SHA256 (RFC 5869) written out here, so the key derivation the proto documents is pinned independently.
    byte[] salt = Arrays.copyOf(blob, HEADER);
    Mac extract = Mac.getInstance("HmacSHA256");
    extract.init(new SecretKeySpec(salt, "HmacSHA256"));
    byte[] prk = extract.doFinal(key.bytes());
    Mac expand = Mac.getInstance("HmacSHA256");
    expand.init(new SecretKeySpec(prk, "HmacSHA256"));
    expand.update("Parley attachment chunked AES-GCM v2".getBytes(StandardCharsets.US_ASCII));
    expand.update((byte) 1);
    SecretKeySpec chunkKey = new SecretKeySpec(expand.doFinal(), "AES");

    ByteArrayOutputStream opened = new ByteArrayOutputStream();
    int position = HEADER;
    for (int index = 0; index < chunks; index++) {
      boolean last = index == chunks - 1;
      int length = last ? blob.length - position : SEALED;
      byte[] nonce = ByteBuffer.allocate(12).putLong(index).put(11, (byte) (last ? 1 : 0)).array();
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, chunkKey, new GCMParameterSpec(128, nonce));
      opened.write(gcm.doFinal(blob, position, length));
      position += length;
    }
    byte[] paddedPlaintext = opened.toByteArray();
    assertThat(paddedPlaintext).hasSize((int) padded);
    assertThat(Arrays.copyOf(paddedPlaintext, plaintext.length)).isEqualTo(plaintext);
    assertThat(Arrays.copyOfRange(paddedPlaintext, plaintext.length, paddedPlaintext.length)).containsOnly(0);

    // The last chunk does not open as a middle one: the flag is in its nonce.
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.DECRYPT_MODE, chunkKey, new GCMParameterSpec(128, ByteBuffer.allocate(12).putLong(3).array()));
    int lastStart = HEADER + 3 * SEALED;
    assertThatThrownBy(() -> gcm.doFinal(blob, lastStart, blob.length - lastStart))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void aByteChangedInAMiddleChunkIsRefusedByItsTagWhenThereIsNoDigestAndNothingIsWritten() throws Exception {
    byte[] plaintext = randomBytes(5 * CHUNK);
    AttachmentKey key = AttachmentKey.random();
    byte[] blob = encrypt(key, plaintext);
    byte[] tampered = blob.clone();
    tampered[HEADER + 2 * SEALED + 777] ^= 0x40;

    // The local store opens files without a digest: the tags alone must catch it, before any plaintext is out.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatThrownBy(() -> decryptWithoutDigest(key, tampered, plaintext.length, out))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("Chunk 2 of")
        .hasMessageContaining("does not authenticate");
    assertThat(out.size()).isZero();
    // A download has the digest and fails on it first.
    Path file = write(tampered);
    assertThatThrownBy(() -> AttachmentCipher.decrypt(GCM, key, sha256(blob), plaintext.length, file, out))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("digest");
    // A changed salt changes the key of every chunk.
    byte[] salted = blob.clone();
    salted[3] ^= 1;
    assertThatThrownBy(() -> decryptWithoutDigest(key, salted, plaintext.length, out))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("Chunk 0 of");
    assertThat(out.size()).isZero();
    assertThat(decryptWithoutDigest(key, blob, plaintext.length, out)).isEqualTo(plaintext);
  }

  @Test
  void aFileCutAtAChunkBoundaryIsRefusedEvenThoughItsLengthIsThatOfAShorterAttachment() throws Exception {
    byte[] plaintext = randomBytes(4 * CHUNK + 5000);
    AttachmentKey key = AttachmentKey.random();
    byte[] blob = encrypt(key, plaintext);
    byte[] cut = Arrays.copyOf(blob, HEADER + 2 * SEALED);
    assertThat(AttachmentCipher.gcmPaddedLength(cut.length)).as("a valid length on its own").isEqualTo(2L * CHUNK);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatThrownBy(() -> decryptWithoutDigest(key, cut, 2 * CHUNK, out))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("Chunk 1 of 2")
        .hasMessageContaining("cut off");
    assertThat(out.size()).isZero();

    // A download knows the length to expect from the message: the verifier says it is short.
    AttachmentCipher.Verifier verifier = AttachmentCipher.Verifier.of(GCM, key, blob.length, plaintext.length);
    verifier.update(cut, 0, cut.length);
    assertThatThrownBy(() -> verifier.check(null)).isInstanceOf(CorruptAttachmentException.class)
        .hasMessageContaining("truncated");
    // A length no sealing produces (a last chunk that is only a tag) is refused before anything is read.
    assertThatThrownBy(() -> AttachmentCipher.Verifier.of(GCM, key, HEADER + SEALED + 16, 10))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("not whole sealed chunks");
  }

  @Test
  void swappedDroppedOrRepeatedChunksAreRefused() throws Exception {
    byte[] plaintext = randomBytes(6 * CHUNK);
    AttachmentKey key = AttachmentKey.random();
    byte[] blob = encrypt(key, plaintext);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    byte[] swapped = blob.clone();
    System.arraycopy(blob, HEADER + SEALED, swapped, HEADER + 2 * SEALED, SEALED);
    System.arraycopy(blob, HEADER + 2 * SEALED, swapped, HEADER + SEALED, SEALED);
    assertThatThrownBy(() -> decryptWithoutDigest(key, swapped, plaintext.length, out))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("Chunk 1 of");

    byte[] repeated = blob.clone();
    System.arraycopy(blob, HEADER, repeated, HEADER + 3 * SEALED, SEALED);
    assertThatThrownBy(() -> decryptWithoutDigest(key, repeated, plaintext.length, out))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("Chunk 3 of");

    byte[] dropped = new byte[blob.length - SEALED];
    System.arraycopy(blob, 0, dropped, 0, HEADER + SEALED);
    System.arraycopy(blob, HEADER + 2 * SEALED, dropped, HEADER + SEALED, blob.length - HEADER - 2 * SEALED);
    assertThatThrownBy(() -> decryptWithoutDigest(key, dropped, 5 * CHUNK, out))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("Chunk 1 of");

    // Another attachment's chunk at the same index, under another salt, does not open either.
    byte[] other = encrypt(key, plaintext);
    byte[] spliced = blob.clone();
    System.arraycopy(other, HEADER + 4 * SEALED, spliced, HEADER + 4 * SEALED, SEALED);
    assertThatThrownBy(() -> decryptWithoutDigest(key, spliced, plaintext.length, out))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("Chunk 4 of");
    assertThat(out.size()).isZero();
  }

  @Test
  void aVerifierFedInPiecesOfAnySizeOnTwoHalvesAgreesWithTheFile() throws Exception {
    byte[] plaintext = randomBytes(3 * CHUNK + 123);
    AttachmentKey key = AttachmentKey.random();
    byte[] blob = encrypt(key, plaintext);
    byte[] digest = sha256(blob);
    for (int piece : new int[] {1, 31, 33, 4096, SEALED - 1, SEALED, SEALED + 1, blob.length}) {
      AttachmentCipher.Verifier verifier = AttachmentCipher.Verifier.of(GCM, key, blob.length, plaintext.length);
      for (int offset = 0; offset < blob.length; offset += piece) {
        int count = Math.min(piece, blob.length - offset);
        verifier.updateDigest(blob, offset, count);
      }
      for (int offset = 0; offset < blob.length; offset += piece) {
        verifier.updateMac(blob, offset, Math.min(piece, blob.length - offset));
      }
      verifier.check(digest);
      verifier.reset();
      byte[] tampered = blob.clone();
      tampered[blob.length - 20] ^= 1;
      verifier.update(tampered, 0, tampered.length);
      assertThatThrownBy(() -> verifier.check(null)).as("pieces of %d", piece)
          .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("does not authenticate");
    }
  }

  private byte[] encrypt(AttachmentKey key, byte[] plaintext) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AttachmentCipher.encrypt(GCM, key, new ByteArrayInputStream(plaintext), plaintext.length, out);
    return out.toByteArray();
  }

  private byte[] decryptWithoutDigest(AttachmentKey key, byte[] blob, long size, OutputStream out)
      throws Exception {
    ByteArrayOutputStream plaintext = new ByteArrayOutputStream();
    AttachmentCipher.decrypt(GCM, key, null, size, write(blob), 0, -1, plaintext);
    out.write(plaintext.toByteArray());
    return plaintext.toByteArray();
  }

  private Path write(byte[] blob) throws Exception {
    Path file = Files.createTempFile(dir, "c", ".bin");
    Files.write(file, blob);
    return file;
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }

  private byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }
}
