package org.parley.client.internal.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import org.parley.client.api.CorruptAttachmentException;

/**
 * Encrypts and decrypts attachments, streaming (docs/decisions/0121-attachments-client.md).
 *
 * <p>The ciphertext is {@code IV (16) || AES-256-CBC(plaintext || zero padding) || HMAC-SHA256(IV || CBC part)
 * (32)}: encrypt-then-MAC under the two halves of an {@link AttachmentKey}. The plaintext is padded with zeros to
 * a length chosen by the caller (a {@link PaddedSizes} bucket for uploads), then CBC adds its PKCS#7 block padding.
 * The SHA-256 digest of the whole ciphertext goes into the message too, so the receiver knows it got exactly the
 * bytes that were sent before it decrypts anything.
 */
public final class AttachmentCipher {

  static final int IV_LENGTH = 16;
  static final int MAC_LENGTH = 32;
  private static final int BLOCK = 16;
  private static final int BUFFER = 256 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private AttachmentCipher() {}

  /** What encryption produced: the digest of the ciphertext and its length. */
  public record Sealed(byte[] digest, long ciphertextLength) {
    public Sealed {
      digest = digest.clone();
    }

    @Override
    public byte[] digest() {
      return digest.clone();
    }
  }

  /** The ciphertext length for a plaintext padded to {@code paddedLength} bytes (known before encrypting). */
  public static long ciphertextLength(long paddedLength) {
    return IV_LENGTH + (paddedLength / BLOCK + 1) * BLOCK + MAC_LENGTH;
  }

  /**
   * Encrypts exactly {@code plaintextLength} bytes of {@code plaintext}, padded to its {@link PaddedSizes} bucket,
   * into {@code ciphertext}. Fails if the stream holds fewer or more bytes (a file that changed while read).
   */
  public static Sealed encrypt(AttachmentKey key, InputStream plaintext, long plaintextLength, OutputStream ciphertext)
      throws IOException {
    EncryptingStream sink = encryptingStream(key, plaintextLength, PaddedSizes.paddedSize(plaintextLength),
        ciphertext);
    try (sink) {
      long copied = plaintext.transferTo(sink);
      if (copied != plaintextLength) {
        throw new IOException("The file has " + copied + " bytes, not the " + plaintextLength + " expected: it"
            + " changed while it was read");
      }
      return sink.finish();
    }
  }

  /**
   * A stream that encrypts what is written to it into {@code ciphertext}: exactly {@code plaintextLength} bytes,
   * then {@link EncryptingStream#finish()} pads to {@code paddedLength} and appends the MAC.
   */
  public static EncryptingStream encryptingStream(AttachmentKey key, long plaintextLength, long paddedLength,
      OutputStream ciphertext) throws IOException {
    if (plaintextLength < 0 || paddedLength < plaintextLength) {
      throw new IllegalArgumentException("Cannot pad " + plaintextLength + " bytes to " + paddedLength);
    }
    return new EncryptingStream(key, plaintextLength, paddedLength, ciphertext);
  }

  /**
   * Checks {@code ciphertext} against {@code expectedDigest} and its MAC, and only then decrypts it, writing its first
   * {@code plaintextLength} bytes to {@code plaintext}. Nothing reaches {@code plaintext} unless the whole file is
   * intact. The MAC is computed again while decrypting; if the file changed in between, the bytes written so far
   * are not authentic and the exception says so: callers write into a temporary file and discard it on failure.
   */
  public static void decrypt(AttachmentKey key, byte[] expectedDigest, long plaintextLength, Path ciphertext,
      OutputStream plaintext) throws IOException, CorruptAttachmentException {
    if (expectedDigest == null || expectedDigest.length != 32) {
      throw new CorruptAttachmentException("The attachment's digest must be 32 bytes (SHA-256)");
    }
    decrypt(key, expectedDigest, plaintextLength, ciphertext, 0, plaintext);
  }

  /** As above, for ciphertext starting at {@code offset} in {@code file}; a null digest checks only the MAC. */
  static void decrypt(AttachmentKey key, byte[] expectedDigest, long plaintextLength, Path file, long offset,
      OutputStream plaintext) throws IOException, CorruptAttachmentException {
    decrypt(key, expectedDigest, plaintextLength, file, offset, -1, plaintext);
  }

  /**
   * As above, for the {@code length} bytes of ciphertext at {@code offset} in {@code file} (-1: up to the end of the
   * file); a null digest checks only the MAC.
   */
  static void decrypt(AttachmentKey key, byte[] expectedDigest, long plaintextLength, Path file, long offset,
      long length, OutputStream plaintext) throws IOException, CorruptAttachmentException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long ciphertextLength = length < 0 ? channel.size() - offset : length;
      if (offset + ciphertextLength > channel.size()) {
        throw new CorruptAttachmentException("The attachment is truncated: " + channel.size() + " bytes, not the "
            + (offset + ciphertextLength) + " expected");
      }
      Verifier verifier = Verifier.of(key, ciphertextLength, plaintextLength);
      verify(verifier, expectedDigest, channel, offset, ciphertextLength);
      decryptVerified(key, plaintextLength, channel, offset, ciphertextLength, plaintext);
    }
  }

  /** First pass: digest and MAC over the ciphertext, nothing decrypted. */
  private static void verify(Verifier verifier, byte[] expectedDigest, FileChannel channel, long offset, long length)
      throws IOException, CorruptAttachmentException {
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    long position = 0;
    while (position < length) {
      buffer.clear();
      int read = readFully(channel, buffer, offset + position, (int) Math.min(BUFFER, length - position));
      verifier.update(buffer.array(), 0, read);
      position += read;
    }
    verifier.check(expectedDigest);
  }

  /**
   * Checks a ciphertext as it streams past, without keeping it: its SHA-256 against the message's digest and its
   * HMAC against the MAC in its last 32 bytes. A download feeds it each chunk as it writes the chunk, so a
   * received attachment needs no second read before it is stored.
   */
  public static final class Verifier {
    private final Mac mac;
    private final MessageDigest digest = sha256();
    private final long length;
    private final byte[] storedMac = new byte[MAC_LENGTH];
    private long macPosition;
    private long digestPosition;

    private Verifier(AttachmentKey key, long length) {
      this.mac = mac(key);
      this.length = length;
    }

    /**
     * A verifier for {@code ciphertextLength} bytes that should decrypt to at least {@code plaintextLength}; refused
     * at once if that length cannot be a ciphertext of this format or cannot hold the plaintext.
     */
    public static Verifier of(AttachmentKey key, long ciphertextLength, long plaintextLength)
        throws CorruptAttachmentException {
      if (plaintextLength < 0) {
        throw new CorruptAttachmentException("The attachment's size is negative: " + plaintextLength);
      }
      long cbcLength = ciphertextLength - IV_LENGTH - MAC_LENGTH;
      if (cbcLength < BLOCK || cbcLength % BLOCK != 0) {
        throw new CorruptAttachmentException("The attachment is truncated or not an attachment: " + ciphertextLength
            + " bytes of ciphertext cannot hold an IV, whole AES blocks and a MAC");
      }
      if (plaintextLength > cbcLength - 1) {
        throw new CorruptAttachmentException("The attachment is shorter than its message says: " + ciphertextLength
            + " bytes of ciphertext cannot hold " + plaintextLength + " bytes");
      }
      return new Verifier(key, ciphertextLength);
    }

    /** Starts again from the first byte (a download that restarts from the beginning). */
    public void reset() {
      mac.reset();
      digest.reset();
      macPosition = 0;
      digestPosition = 0;
    }

    /** How many bytes it has seen. */
    public long position() {
      return Math.min(macPosition, digestPosition);
    }

    /** The next {@code count} bytes of the ciphertext. */
    public void update(byte[] bytes, int offset, int count) {
      updateDigest(bytes, offset, count);
      updateMac(bytes, offset, count);
    }

    /**
     * The digest's half of {@link #update}: the two halves may run on two threads (each called in order, each
     * with every byte), so that a download hashes on one core while the other computes the MAC.
     */
    public void updateDigest(byte[] bytes, int offset, int count) {
      if (count > length - digestPosition) {
        throw new IllegalStateException("More than the " + length + " bytes of the ciphertext");
      }
      digest.update(bytes, offset, count);
      digestPosition += count;
    }

    /** The MAC's half of {@link #update}. */
    public void updateMac(byte[] bytes, int offset, int count) {
      if (count > length - macPosition) {
        throw new IllegalStateException("More than the " + length + " bytes of the ciphertext");
      }
      long macStart = length - MAC_LENGTH;
      int authenticated = (int) Math.max(0, Math.min(count, macStart - macPosition));
      mac.update(bytes, offset, authenticated);
      for (int i = authenticated; i < count; i++) {
        storedMac[(int) (macPosition + i - macStart)] = bytes[offset + i];
      }
      macPosition += count;
    }

    /** After the last byte: the digest (unless null) and then the MAC must match. */
    public void check(byte[] expectedDigest) throws CorruptAttachmentException {
      if (macPosition != length || digestPosition != length) {
        throw new CorruptAttachmentException("The attachment is truncated: " + position() + " of " + length
            + " bytes");
      }
      if (expectedDigest != null && !MessageDigest.isEqual(digest.digest(), expectedDigest)) {
        throw new CorruptAttachmentException("The attachment does not match its digest: it was altered or truncated"
            + " on the way");
      }
      if (!MessageDigest.isEqual(mac.doFinal(), storedMac)) {
        throw new CorruptAttachmentException("The attachment's MAC does not verify: it was altered, or encrypted"
            + " with another key");
      }
    }
  }

  /** Second pass: decrypts, writing the first {@code plaintextLength} bytes, and checks the MAC again. */
  private static void decryptVerified(AttachmentKey key, long plaintextLength, FileChannel channel, long offset,
      long length, OutputStream plaintext) throws IOException, CorruptAttachmentException {
    Mac mac = mac(key);
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    readFully(channel, buffer.clear(), offset, IV_LENGTH);
    byte[] iv = Arrays.copyOf(buffer.array(), IV_LENGTH);
    mac.update(iv);
    Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, iv);
    byte[] output = new byte[BUFFER + BLOCK];
    long macStart = length - MAC_LENGTH;
    long position = IV_LENGTH;
    long remaining = plaintextLength;
    try {
      while (position < macStart) {
        int read = readFully(channel, buffer.clear(), offset + position, (int) Math.min(BUFFER, macStart - position));
        mac.update(buffer.array(), 0, read);
        int produced = cipher.update(buffer.array(), 0, read, output, 0);
        remaining -= writeUpTo(plaintext, output, produced, remaining);
        position += read;
      }
      int produced = cipher.doFinal(output, 0);
      remaining -= writeUpTo(plaintext, output, produced, remaining);
    } catch (BadPaddingException e) {
      throw new CorruptAttachmentException("The attachment's padding is malformed although its MAC verifies: the"
          + " sender's client produced a broken attachment", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CBC with a block of room failed", e);
    }
    byte[] storedMac = new byte[MAC_LENGTH];
    readFully(channel, ByteBuffer.wrap(storedMac), offset + macStart, MAC_LENGTH);
    if (!MessageDigest.isEqual(mac.doFinal(), storedMac)) {
      throw new CorruptAttachmentException("The attachment changed on disk while it was being decrypted");
    }
    if (remaining != 0) {
      throw new CorruptAttachmentException("The attachment is shorter than its message says (" + remaining
          + " bytes missing)");
    }
  }

  private static int writeUpTo(OutputStream out, byte[] bytes, int count, long remaining) throws IOException {
    int wanted = (int) Math.min(count, remaining);
    out.write(bytes, 0, wanted);
    return wanted;
  }

  private static int readFully(FileChannel channel, ByteBuffer buffer, long position, int count) throws IOException {
    buffer.limit(buffer.position() + count);
    int total = 0;
    while (total < count) {
      int read = channel.read(buffer, position + total);
      if (read < 0) {
        throw new IOException("The file ended early (it shrank while being read)");
      }
      total += read;
    }
    return total;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java has SHA-256", e);
    }
  }

  static Mac mac(AttachmentKey key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key.macKey());
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every Java has HmacSHA256", e);
    }
  }

  private static Cipher cipher(int mode, AttachmentKey key, byte[] iv) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(mode, key.aesKey(), new IvParameterSpec(iv));
      return cipher;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every Java has AES-256-CBC", e);
    }
  }

  /** The plaintext was longer or shorter than announced: the file changed while it was read. */
  public static final class SourceChangedException extends IOException {
    SourceChangedException(String message) {
      super(message);
    }
  }

  /**
   * Encrypts what is written to it; {@link #finish()} pads, appends the MAC and gives the digest. The caller's
   * thread encrypts; for a file of a few buffers or more, a second thread computes the MAC and the digest over the
   * ciphertext and writes it ({@link ChunkPipeline}), so the two cores of a small machine share the work.
   */
  public static final class EncryptingStream extends OutputStream {

    private final long plaintextLength;
    private final long paddedLength;
    private final OutputStream out;
    private final Cipher cipher;
    private final Mac mac;
    private final MessageDigest digest = sha256();
    private final ChunkPipeline pipeline;
    private long written;
    private long ciphertextLength;
    private boolean finished;

    private EncryptingStream(AttachmentKey key, long plaintextLength, long paddedLength, OutputStream out)
        throws IOException {
      this.plaintextLength = plaintextLength;
      this.paddedLength = paddedLength;
      this.out = out;
      byte[] iv = new byte[IV_LENGTH];
      RANDOM.nextBytes(iv);
      this.cipher = cipher(Cipher.ENCRYPT_MODE, key, iv);
      this.mac = mac(key);
      this.pipeline = paddedLength >= 4L * BUFFER ? ChunkPipeline.threaded(BUFFER + BLOCK, this::emit)
          : ChunkPipeline.direct(BUFFER + BLOCK, this::emit);
      byte[] first = pipeline.buffer();
      System.arraycopy(iv, 0, first, 0, IV_LENGTH);
      pipeline.submit(first, IV_LENGTH);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (finished) {
        throw new IOException("The attachment was already finished");
      }
      if (length > plaintextLength - written) {
        throw new SourceChangedException("More than the " + plaintextLength + " bytes announced: the file changed"
            + " while it was read");
      }
      encrypt(bytes, offset, length);
      written += length;
    }

    private void encrypt(byte[] bytes, int offset, int length) throws IOException {
      while (length > 0) {
        int step = Math.min(length, BUFFER);
        byte[] output = pipeline.buffer();
        try {
          int produced = cipher.update(bytes, offset, step, output, 0);
          pipeline.submit(output, produced);
        } catch (ShortBufferException e) {
          throw new IllegalStateException("AES-CBC with a block of room failed", e);
        }
        offset += step;
        length -= step;
      }
    }

    /** Pads, finishes the CBC part, writes the MAC; returns the ciphertext's digest and length. */
    public Sealed finish() throws IOException {
      if (written != plaintextLength) {
        pipeline.close();
        throw new SourceChangedException("Only " + written + " of the " + plaintextLength + " bytes announced were"
            + " written: the file changed while it was read");
      }
      finished = true;
      byte[] zeros = new byte[BUFFER];
      for (long padding = paddedLength - written; padding > 0; padding -= BUFFER) {
        encrypt(zeros, 0, (int) Math.min(BUFFER, padding));
      }
      try {
        byte[] output = pipeline.buffer();
        int produced = cipher.doFinal(output, 0);
        pipeline.submit(output, produced);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-CBC encryption with PKCS#7 padding cannot fail", e);
      }
      pipeline.finish();
      byte[] tag = mac.doFinal();
      out.write(tag);
      digest.update(tag);
      ciphertextLength += tag.length;
      out.flush();
      return new Sealed(digest.digest(), ciphertextLength);
    }

    /** On the pipeline's thread: one chunk of ciphertext. */
    private void emit(byte[] bytes, int length) throws IOException {
      out.write(bytes, 0, length);
      mac.update(bytes, 0, length);
      digest.update(bytes, 0, length);
      ciphertextLength += length;
    }

    /** Does not close the underlying stream: the caller owns it. Unfinished, it stops the second thread. */
    @Override
    public void close() {
      pipeline.close();
    }
  }
}
