package org.parley.client.internal.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.client.api.CorruptAttachmentException;
import org.parley.client.api.InvalidInputException;

class AttachmentCipherTest {

  @TempDir
  Path dir;

  private final Random random = new Random(12);

  @ParameterizedTest
  @EnumSource(AttachmentFormat.class)
  void everySizeRoundTripsAndTheDigestIsTheSha256OfTheCiphertext(AttachmentFormat format) throws Exception {
    for (int size : new int[] {0, 1, 15, 16, 17, 1023, 1024, 1025, 100_000, 1_048_579}) {
      byte[] plaintext = randomBytes(size);
      AttachmentKey key = AttachmentKey.random();
      Path file = dir.resolve("c" + size);
      AttachmentCipher.Sealed sealed = encryptToFile(format, key, plaintext, file);

      byte[] ciphertext = Files.readAllBytes(file);
      assertThat(ciphertext).hasSize((int) AttachmentCipher.ciphertextLength(format, PaddedSizes.paddedSize(size)));
      assertThat(sealed.ciphertextLength()).isEqualTo(ciphertext.length);
      assertThat(sealed.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(ciphertext));
      assertThat(decrypt(format, key, sealed.digest(), size, file)).as("size %d", size).isEqualTo(plaintext);
    }
  }

  @Test
  void theFormatIsIvThenCbcOfThePaddedPlaintextThenAnHmacOfBoth() throws Exception {
    // Decrypted here with plain JCE calls, so the layout the ADR documents is pinned, not just self-consistent.
    byte[] plaintext = randomBytes(3000);
    AttachmentKey key = AttachmentKey.random();
    Path file = dir.resolve("c");
    encryptToFile(AttachmentFormat.CBC_HMAC, key, plaintext, file);
    byte[] blob = Files.readAllBytes(file);
    byte[] keyBytes = key.bytes();

    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(keyBytes, 32, 32, "HmacSHA256"));
    mac.update(blob, 0, blob.length - 32);
    assertThat(mac.doFinal()).isEqualTo(Arrays.copyOfRange(blob, blob.length - 32, blob.length));

    Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
    aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyBytes, 0, 32, "AES"),
        new IvParameterSpec(Arrays.copyOfRange(blob, 0, 16)));
    byte[] padded = aes.doFinal(blob, 16, blob.length - 48);
    assertThat(padded).hasSize((int) PaddedSizes.paddedSize(3000));
    assertThat(Arrays.copyOf(padded, 3000)).isEqualTo(plaintext);
    assertThat(Arrays.copyOfRange(padded, 3000, padded.length)).containsOnly(0);
  }

  @ParameterizedTest
  @EnumSource(AttachmentFormat.class)
  void theSameFileEncryptsDifferentlyEachTime(AttachmentFormat format) throws Exception {
    byte[] plaintext = randomBytes(5000);
    AttachmentKey key = AttachmentKey.random();
    AttachmentCipher.Sealed first = encryptToFile(format, key, plaintext, dir.resolve("a"));
    AttachmentCipher.Sealed second = encryptToFile(format, key, plaintext, dir.resolve("b"));
    assertThat(first.digest()).isNotEqualTo(second.digest());
    assertThat(Files.readAllBytes(dir.resolve("a"))).isNotEqualTo(Files.readAllBytes(dir.resolve("b")));
  }

  @ParameterizedTest
  @EnumSource(AttachmentFormat.class)
  void sizesInOneBucketGiveCiphertextsOfOneLength(AttachmentFormat format) throws Exception {
    long low = PaddedSizes.paddedSize(1940);
    assertThat(PaddedSizes.paddedSize(low)).isEqualTo(low);
    int smallestInBucket = (int) low;
    while (PaddedSizes.paddedSize(smallestInBucket - 1) == low) {
      smallestInBucket--;
    }
    long a = encryptToFile(format, AttachmentKey.random(), randomBytes(smallestInBucket), dir.resolve("a")).ciphertextLength();
    long b = encryptToFile(format, AttachmentKey.random(), randomBytes((int) low), dir.resolve("b")).ciphertextLength();
    assertThat(a).isEqualTo(b);
    assertThat(low - smallestInBucket).as("a bucket spans several sizes").isGreaterThan(50);
  }

  @ParameterizedTest
  @EnumSource(AttachmentFormat.class)
  void anyFlippedBitIsRefusedAndNothingIsWritten(AttachmentFormat format) throws Exception {
    byte[] plaintext = randomBytes(70_000);
    AttachmentKey key = AttachmentKey.random();
    Path file = dir.resolve("c");
    AttachmentCipher.Sealed sealed = encryptToFile(format, key, plaintext, file);
    byte[] original = Files.readAllBytes(file);
    int[] positions = {0, 15, 16, 40_000, original.length - 33, original.length - 32, original.length - 1};
    for (int position : positions) {
      byte[] tampered = original.clone();
      tampered[position] ^= 0x01;
      Files.write(file, tampered);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThatThrownBy(() -> AttachmentCipher.decrypt(format, key, sealed.digest(), plaintext.length, file, out))
          .as("bit flipped at %d", position)
          .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("digest");
      assertThat(out.size()).as("plaintext written for a flip at %d", position).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(AttachmentFormat.class)
  void aDigestThatDoesNotMatchOrAnotherKeyIsRefused(AttachmentFormat format) throws Exception {
    byte[] plaintext = randomBytes(5000);
    AttachmentKey key = AttachmentKey.random();
    Path file = dir.resolve("c");
    AttachmentCipher.Sealed sealed = encryptToFile(format, key, plaintext, file);
    byte[] otherDigest = sealed.digest();
    otherDigest[31] ^= 1;
    assertThatThrownBy(() -> decrypt(format, key, otherDigest, 5000, file))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("does not match its digest");
    assertThatThrownBy(() -> decrypt(format, AttachmentKey.random(), sealed.digest(), 5000, file))
        .isInstanceOf(CorruptAttachmentException.class)
        .hasMessageContaining(format == AttachmentFormat.CBC_HMAC ? "MAC does not verify" : "does not authenticate");
    assertThatThrownBy(() -> decrypt(format, key, new byte[31], 5000, file))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("32 bytes");
  }

  @ParameterizedTest
  @EnumSource(AttachmentFormat.class)
  void truncatedOrExtendedCiphertextsAndOverstatedSizesAreRefused(AttachmentFormat format) throws Exception {
    byte[] plaintext = randomBytes(5000);
    AttachmentKey key = AttachmentKey.random();
    Path file = dir.resolve("c");
    AttachmentCipher.Sealed sealed = encryptToFile(format, key, plaintext, file);
    byte[] original = Files.readAllBytes(file);

    for (int cut : new int[] {1, 16, 32, 48, original.length - 10, original.length}) {
      Files.write(file, Arrays.copyOf(original, original.length - cut));
      assertThatThrownBy(() -> decrypt(format, key, sealed.digest(), 5000, file)).as("%d bytes cut", cut)
          .isInstanceOf(CorruptAttachmentException.class)
          .hasMessageMatching("(?s).*(truncated|digest|shorter).*");
    }
    Files.write(file, Arrays.copyOf(original, original.length + 16));
    assertThatThrownBy(() -> decrypt(format, key, sealed.digest(), 5000, file))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("digest");

    Files.write(file, original);
    long capacity = format == AttachmentFormat.CBC_HMAC ? original.length - 48 - 1
        : AttachmentCipher.gcmPaddedLength(original.length);
    assertThatThrownBy(() -> decrypt(format, key, sealed.digest(), capacity + 1, file))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("shorter than its message says");
    assertThatThrownBy(() -> decrypt(format, key, sealed.digest(), -1, file))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("negative");
    assertThat(decrypt(format, key, sealed.digest(), 5000, file)).isEqualTo(plaintext);
  }

  @ParameterizedTest
  @EnumSource(AttachmentFormat.class)
  void aStreamThatIsShorterOrLongerThanAnnouncedFails(AttachmentFormat format) {
    AttachmentKey key = AttachmentKey.random();
    assertThatThrownBy(() -> AttachmentCipher.encrypt(format, key, new ByteArrayInputStream(new byte[99]), 100,
        OutputStream.nullOutputStream())).isInstanceOf(IOException.class).hasMessageContaining("changed");
    assertThatThrownBy(() -> AttachmentCipher.encrypt(format, key, new ByteArrayInputStream(new byte[101]), 100,
        OutputStream.nullOutputStream())).isInstanceOf(IOException.class).hasMessageContaining("changed");
  }

  @Test
  void keysMustBe64BytesAndNeverPrint() throws Exception {
    assertThatThrownBy(() -> AttachmentKey.of(new byte[32])).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("64 bytes");
    assertThatThrownBy(() -> AttachmentKey.of(null)).isInstanceOf(InvalidInputException.class);
    byte[] bytes = randomBytes(64);
    AttachmentKey key = AttachmentKey.of(bytes);
    assertThat(key).isEqualTo(AttachmentKey.of(bytes)).isNotEqualTo(AttachmentKey.random());
    bytes[0] ^= 1;
    assertThat(key.bytes()).as("the key copied its input").isNotEqualTo(bytes);
    assertThat(key.toString()).doesNotContain(String.valueOf(bytes[1]));
  }

  @ParameterizedTest
  @EnumSource(AttachmentFormat.class)
  void encryptingAndDecryptingStreamWithoutHoldingTheFile(AttachmentFormat format) throws Exception {
    // Allocation on this thread, not heap size: a cipher that buffered the file would allocate at least its size.
    long size = 48L << 20;
    AttachmentKey key = AttachmentKey.random();
    Path file = dir.resolve("big");
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    AttachmentCipher.Sealed sealed;
    long before = threads.getCurrentThreadAllocatedBytes();
    try (OutputStream out = Files.newOutputStream(file)) {
      sealed = AttachmentCipher.encrypt(format, key, new PatternStream(size), size, out);
    }
    long encrypting = threads.getCurrentThreadAllocatedBytes() - before;

    CountingSink sink = new CountingSink();
    before = threads.getCurrentThreadAllocatedBytes();
    AttachmentCipher.decrypt(format, key, sealed.digest(), size, file, sink);
    long decrypting = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(sink.count).isEqualTo(size);
    assertThat(sink.mismatch).as("decrypted bytes equal the pattern").isFalse();
    assertThat(encrypting).as("bytes allocated encrypting 48 MiB").isLessThan(4L << 20);
    assertThat(decrypting).as("bytes allocated decrypting 48 MiB").isLessThan(4L << 20);
  }

  private AttachmentCipher.Sealed encryptToFile(AttachmentFormat format, AttachmentKey key, byte[] plaintext,
      Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      return AttachmentCipher.encrypt(format, key, new ByteArrayInputStream(plaintext), plaintext.length, out);
    }
  }

  private static byte[] decrypt(AttachmentFormat format, AttachmentKey key, byte[] digest, long size, Path file)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AttachmentCipher.decrypt(format, key, digest, size, file, out);
    return out.toByteArray();
  }

  private byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte patternAt(long position) {
    return (byte) (position * 31 + (position >>> 13));
  }

  /** {@code size} bytes of a position-derived pattern, made as they are read. */
  private static final class PatternStream extends InputStream {
    private final long size;
    private long position;

    PatternStream(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      return position < size ? patternAt(position++) & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (position >= size) {
        return -1;
      }
      int count = (int) Math.min(length, size - position);
      for (int i = 0; i < count; i++) {
        buffer[offset + i] = patternAt(position++);
      }
      return count;
    }
  }

  /** Counts what is written and checks it against the pattern, keeping nothing. */
  private static final class CountingSink extends OutputStream {
    long count;
    boolean mismatch;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      for (int i = 0; i < length; i++) {
        mismatch |= bytes[offset + i] != patternAt(count++);
      }
    }
  }
}
