package org.parley.client.internal.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.parley.client.api.CorruptAttachmentException;
import org.signal.libsignal.protocol.kdf.HKDF;

/**
 * Encrypts and decrypts attachments, streaming, in one of two {@link AttachmentFormat}s.
 *
 * <p>{@link AttachmentFormat#CHUNKED_GCM} (ADR 0122, what is written now): {@code salt (32) || sealed chunks}. The
 * plaintext, padded with zeros to a length chosen by the caller (a {@link PaddedSizes} bucket for uploads), is cut
 * into chunks of {@link #GCM_CHUNK} bytes (the last one shorter), each sealed with AES-256-GCM (16-byte tag) under
 * HKDF-SHA256(the {@link AttachmentKey}, salt); the nonce is the chunk's index and a flag on the last chunk, so
 * chunks cannot be moved, dropped or added. AES-GCM runs at several GB/s on one core here (AES-NI, carry-less
 * multiply), where CBC encryption manages 0.5.
 *
 * <p>{@link AttachmentFormat#CBC_HMAC} (ADR 0121, still read): {@code IV (16) || AES-256-CBC(plaintext || zero
 * padding) || HMAC-SHA256(IV || CBC part) (32)}, encrypt-then-MAC under the two halves of the key; CBC adds its
 * PKCS#7 block padding.
 *
 * <p>In both, the SHA-256 digest of the whole ciphertext goes into the message too, so the receiver knows it got
 * exactly the bytes that were sent before it decrypts anything.
 */
public final class AttachmentCipher {

  static final int IV_LENGTH = 16;
  static final int MAC_LENGTH = 32;
  private static final int BLOCK = 16;
  private static final int BUFFER = 256 * 1024;
  /** Plaintext bytes per GCM chunk: small enough to stay in cache, large enough that the 16-byte tags cost 0.02 %. */
  static final int GCM_CHUNK = 64 * 1024;
  static final int GCM_TAG = 16;
  static final int GCM_SEALED_CHUNK = GCM_CHUNK + GCM_TAG;
  private static final int GCM_NONCE = 12;
  /** The random salt that starts a CHUNKED_GCM ciphertext; the chunks' key is derived from it and the key. */
  static final int GCM_HEADER = 32;
  private static final byte[] GCM_KDF_INFO = "Parley attachment chunked AES-GCM v2".getBytes(StandardCharsets.US_ASCII);
  /** Sealed GCM chunks per buffer handed to the writing thread. */
  private static final int GCM_CHUNKS_PER_BUFFER = BUFFER / GCM_CHUNK;
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

  /** The ciphertext length for a plaintext padded to {@code paddedLength} bytes, in the current format. */
  public static long ciphertextLength(long paddedLength) {
    return ciphertextLength(AttachmentFormat.CURRENT, paddedLength);
  }

  /** The ciphertext length for a plaintext padded to {@code paddedLength} bytes (known before encrypting). */
  public static long ciphertextLength(AttachmentFormat format, long paddedLength) {
    return switch (format) {
      case CBC_HMAC -> IV_LENGTH + (paddedLength / BLOCK + 1) * BLOCK + MAC_LENGTH;
      case CHUNKED_GCM -> GCM_HEADER + paddedLength + GCM_TAG * gcmChunks(paddedLength);
    };
  }

  /** How many chunks a padded plaintext of {@code paddedLength} bytes makes: at least one. */
  static long gcmChunks(long paddedLength) {
    return Math.max(1, (paddedLength + GCM_CHUNK - 1) / GCM_CHUNK);
  }

  /**
   * Encrypts exactly {@code plaintextLength} bytes of {@code plaintext}, padded to its {@link PaddedSizes} bucket,
   * into {@code ciphertext}. Fails if the stream holds fewer or more bytes (a file that changed while read).
   */
  public static Sealed encrypt(AttachmentKey key, InputStream plaintext, long plaintextLength, OutputStream ciphertext)
      throws IOException {
    return encrypt(AttachmentFormat.CURRENT, key, plaintext, plaintextLength, ciphertext);
  }

  /** As above, in {@code format}. */
  public static Sealed encrypt(AttachmentFormat format, AttachmentKey key, InputStream plaintext, long plaintextLength,
      OutputStream ciphertext) throws IOException {
    EncryptingStream sink = encryptingStream(format, key, plaintextLength, PaddedSizes.paddedSize(plaintextLength),
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
    return encryptingStream(AttachmentFormat.CURRENT, key, plaintextLength, paddedLength, ciphertext);
  }

  /** As above, in {@code format}. */
  public static EncryptingStream encryptingStream(AttachmentFormat format, AttachmentKey key, long plaintextLength,
      long paddedLength, OutputStream ciphertext) throws IOException {
    if (plaintextLength < 0 || paddedLength < plaintextLength) {
      throw new IllegalArgumentException("Cannot pad " + plaintextLength + " bytes to " + paddedLength);
    }
    return new EncryptingStream(format, key, plaintextLength, paddedLength, ciphertext);
  }

  /**
   * Checks {@code ciphertext} against {@code expectedDigest} and its MAC, and only then decrypts it, writing its first
   * {@code plaintextLength} bytes to {@code plaintext}. Nothing reaches {@code plaintext} unless the whole file is
   * intact. The MAC is computed again while decrypting; if the file changed in between, the bytes written so far
   * are not authentic and the exception says so: callers write into a temporary file and discard it on failure.
   */
  public static void decrypt(AttachmentKey key, byte[] expectedDigest, long plaintextLength, Path ciphertext,
      OutputStream plaintext) throws IOException, CorruptAttachmentException {
    decrypt(AttachmentFormat.CURRENT, key, expectedDigest, plaintextLength, ciphertext, plaintext);
  }

  /** As above, for a ciphertext in {@code format}. */
  public static void decrypt(AttachmentFormat format, AttachmentKey key, byte[] expectedDigest, long plaintextLength,
      Path ciphertext, OutputStream plaintext) throws IOException, CorruptAttachmentException {
    if (expectedDigest == null || expectedDigest.length != 32) {
      throw new CorruptAttachmentException("The attachment's digest must be 32 bytes (SHA-256)");
    }
    decrypt(format, key, expectedDigest, plaintextLength, ciphertext, 0, -1, plaintext);
  }

  /** As above, for ciphertext starting at {@code offset} in {@code file}; a null digest checks only the MAC. */
  static void decrypt(AttachmentKey key, byte[] expectedDigest, long plaintextLength, Path file, long offset,
      OutputStream plaintext) throws IOException, CorruptAttachmentException {
    decrypt(AttachmentFormat.CURRENT, key, expectedDigest, plaintextLength, file, offset, -1, plaintext);
  }

  /** As below, in the current format. */
  static void decrypt(AttachmentKey key, byte[] expectedDigest, long plaintextLength, Path file, long offset,
      long length, OutputStream plaintext) throws IOException, CorruptAttachmentException {
    decrypt(AttachmentFormat.CURRENT, key, expectedDigest, plaintextLength, file, offset, length, plaintext);
  }

  /**
   * As above, for the {@code length} bytes of ciphertext at {@code offset} in {@code file} (-1: up to the end of the
   * file); a null digest checks only the MAC.
   */
  static void decrypt(AttachmentFormat format, AttachmentKey key, byte[] expectedDigest, long plaintextLength,
      Path file, long offset, long length, OutputStream plaintext) throws IOException, CorruptAttachmentException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long ciphertextLength = length < 0 ? channel.size() - offset : length;
      if (offset + ciphertextLength > channel.size()) {
        throw new CorruptAttachmentException("The attachment is truncated: " + channel.size() + " bytes, not the "
            + (offset + ciphertextLength) + " expected");
      }
      Verifier verifier = Verifier.of(format, key, ciphertextLength, plaintextLength);
      verify(verifier, expectedDigest, channel, offset, ciphertextLength);
      if (format == AttachmentFormat.CBC_HMAC) {
        decryptVerified(key, plaintextLength, channel, offset, ciphertextLength, plaintext);
      } else {
        decryptVerifiedChunks(key, plaintextLength, channel, offset, ciphertextLength, plaintext);
      }
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
    private final AttachmentFormat format;
    private final MessageDigest digest = sha256();
    private final long length;
    /** CBC_HMAC: the MAC over everything before the last 32 bytes, which are the MAC the sender computed. */
    private final Mac mac;
    private final byte[] storedMac = new byte[MAC_LENGTH];
    /** CHUNKED_GCM: each chunk is opened as soon as all its bytes are in; the plaintext is dropped. */
    private final ChunkOpener opener;
    private final byte[] sealedChunk;
    private final byte[] salt = new byte[GCM_HEADER];
    private int chunkFill;
    private long macPosition;
    private long digestPosition;

    private Verifier(AttachmentFormat format, AttachmentKey key, long length) {
      this.format = format;
      this.length = length;
      if (format == AttachmentFormat.CBC_HMAC) {
        this.mac = mac(key);
        this.opener = null;
        this.sealedChunk = null;
      } else {
        this.mac = null;
        this.opener = new ChunkOpener(key, length);
        this.sealedChunk = new byte[GCM_SEALED_CHUNK];
      }
    }

    /** As {@link #of(AttachmentFormat, AttachmentKey, long, long)} in the current format. */
    public static Verifier of(AttachmentKey key, long ciphertextLength, long plaintextLength)
        throws CorruptAttachmentException {
      return of(AttachmentFormat.CURRENT, key, ciphertextLength, plaintextLength);
    }

    /**
     * A verifier for {@code ciphertextLength} bytes in {@code format} that should decrypt to at least
     * {@code plaintextLength}; refused at once if that length cannot be a ciphertext of this format or cannot hold
     * the plaintext.
     */
    public static Verifier of(AttachmentFormat format, AttachmentKey key, long ciphertextLength,
        long plaintextLength) throws CorruptAttachmentException {
      if (plaintextLength < 0) {
        throw new CorruptAttachmentException("The attachment's size is negative: " + plaintextLength);
      }
      long capacity;
      if (format == AttachmentFormat.CBC_HMAC) {
        long cbcLength = ciphertextLength - IV_LENGTH - MAC_LENGTH;
        if (cbcLength < BLOCK || cbcLength % BLOCK != 0) {
          throw new CorruptAttachmentException("The attachment is truncated or not an attachment: "
              + ciphertextLength + " bytes of ciphertext cannot hold an IV, whole AES blocks and a MAC");
        }
        capacity = cbcLength - 1;
      } else {
        capacity = gcmPaddedLength(ciphertextLength);
        if (capacity < 0) {
          throw new CorruptAttachmentException("The attachment is truncated or not an attachment: "
              + ciphertextLength + " bytes of ciphertext are not whole sealed chunks");
        }
      }
      if (plaintextLength > capacity) {
        throw new CorruptAttachmentException("The attachment is shorter than its message says: " + ciphertextLength
            + " bytes of ciphertext cannot hold " + plaintextLength + " bytes");
      }
      return new Verifier(format, key, ciphertextLength);
    }

    /** The format it checks. */
    public AttachmentFormat format() {
      return format;
    }

    /** Starts again from the first byte (a download that restarts from the beginning). */
    public void reset() {
      digest.reset();
      if (mac != null) {
        mac.reset();
      } else {
        opener.reset();
        chunkFill = 0;
      }
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
     * with every byte), so that a download hashes on one core while the other checks the MAC or the GCM tags.
     */
    public void updateDigest(byte[] bytes, int offset, int count) {
      if (count > length - digestPosition) {
        throw new IllegalStateException("More than the " + length + " bytes of the ciphertext");
      }
      digest.update(bytes, offset, count);
      digestPosition += count;
    }

    /** The authentication half of {@link #update}: the MAC (CBC_HMAC) or each chunk's GCM tag (CHUNKED_GCM). */
    public void updateMac(byte[] bytes, int offset, int count) {
      if (count > length - macPosition) {
        throw new IllegalStateException("More than the " + length + " bytes of the ciphertext");
      }
      if (mac != null) {
        long macStart = length - MAC_LENGTH;
        int authenticated = (int) Math.max(0, Math.min(count, macStart - macPosition));
        mac.update(bytes, offset, authenticated);
        for (int i = authenticated; i < count; i++) {
          storedMac[(int) (macPosition + i - macStart)] = bytes[offset + i];
        }
        macPosition += count;
        return;
      }
      int end = offset + count;
      while (offset < end && macPosition < GCM_HEADER) {
        int wanted = (int) Math.min(GCM_HEADER - macPosition, end - offset);
        System.arraycopy(bytes, offset, salt, (int) macPosition, wanted);
        offset += wanted;
        macPosition += wanted;
        if (macPosition == GCM_HEADER) {
          opener.start(salt);
        }
      }
      while (offset < end) {
        int wanted = opener.sealedLength() - chunkFill;
        if (chunkFill == 0 && end - offset >= wanted) {
          opener.check(bytes, offset, wanted); // a whole chunk in the caller's buffer: no copy
        } else {
          wanted = Math.min(wanted, end - offset);
          System.arraycopy(bytes, offset, sealedChunk, chunkFill, wanted);
          chunkFill += wanted;
          if (chunkFill == opener.sealedLength()) {
            opener.check(sealedChunk, 0, chunkFill);
            chunkFill = 0;
          }
        }
        offset += wanted;
        macPosition += wanted;
      }
    }

    /** After the last byte: the digest (unless null) and then the MAC or every chunk's tag must match. */
    public void check(byte[] expectedDigest) throws CorruptAttachmentException {
      if (macPosition != length || digestPosition != length) {
        throw new CorruptAttachmentException("The attachment is truncated: " + position() + " of " + length
            + " bytes");
      }
      if (expectedDigest != null && !MessageDigest.isEqual(digest.digest(), expectedDigest)) {
        throw new CorruptAttachmentException("The attachment does not match its digest: it was altered or truncated"
            + " on the way");
      }
      if (mac != null) {
        if (!MessageDigest.isEqual(mac.doFinal(), storedMac)) {
          throw new CorruptAttachmentException("The attachment's MAC does not verify: it was altered, or encrypted"
              + " with another key");
        }
      } else {
        opener.checkComplete();
      }
    }
  }

  /**
   * The padded plaintext length of a CHUNKED_GCM ciphertext of {@code ciphertextLength} bytes, or -1 if no padded
   * plaintext encrypts to that length (a last chunk of only a tag after full ones, or no chunk at all).
   */
  static long gcmPaddedLength(long ciphertextLength) {
    long sealed = ciphertextLength - GCM_HEADER;
    long chunks = (sealed + GCM_SEALED_CHUNK - 1) / GCM_SEALED_CHUNK;
    long padded = sealed - chunks * GCM_TAG;
    return sealed > 0 && chunks >= 1 && padded >= 0 && gcmChunks(padded) == chunks ? padded : -1;
  }

  /**
   * The key the chunks are sealed under: HKDF-SHA256 of the attachment key with the ciphertext's random salt. The
   * nonces count from zero in every attachment, so this keeps them unique even if a caller reused a key.
   */
  private static SecretKeySpec chunkKey(AttachmentKey key, byte[] salt) {
    byte[] ikm = key.bytes();
    byte[] derived = HKDF.deriveSecrets(ikm, salt, GCM_KDF_INFO, 32);
    try {
      return new SecretKeySpec(derived, "AES");
    } finally {
      Arrays.fill(ikm, (byte) 0);
      Arrays.fill(derived, (byte) 0);
    }
  }

  /** The nonce of chunk {@code index}: its index and whether it is the last. */
  private static GCMParameterSpec chunkNonce(long index, boolean last) {
    byte[] nonce = ByteBuffer.allocate(GCM_NONCE).putLong(index).put(GCM_NONCE - 1, (byte) (last ? 1 : 0)).array();
    return new GCMParameterSpec(GCM_TAG * 8, nonce);
  }

  /**
   * Opens the chunks of one CHUNKED_GCM ciphertext in order. A failed tag is remembered rather than thrown, because
   * the verifier's half may run on the writing thread of a download, where an exception would look like a broken
   * connection; {@link #checkComplete()} reports it.
   */
  private static final class ChunkOpener {
    private final AttachmentKey attachmentKey;
    private SecretKeySpec key;
    private final Cipher cipher;
    private final long chunks;
    private final int lastSealedLength;
    private final byte[] plaintext = new byte[GCM_CHUNK];
    private long index;
    private long failedChunk = -1;

    ChunkOpener(AttachmentKey key, long ciphertextLength) {
      this.attachmentKey = key;
      this.cipher = gcm();
      long padded = gcmPaddedLength(ciphertextLength);
      this.chunks = gcmChunks(padded);
      this.lastSealedLength = (int) (ciphertextLength - GCM_HEADER - (chunks - 1) * GCM_SEALED_CHUNK);
    }

    /** Takes the ciphertext's salt, before the first chunk. */
    void start(byte[] salt) {
      key = chunkKey(attachmentKey, salt);
    }

    void reset() {
      key = null;
      index = 0;
      failedChunk = -1;
    }

    /** The sealed length of the next chunk. */
    int sealedLength() {
      return index == chunks - 1 ? lastSealedLength : GCM_SEALED_CHUNK;
    }

    /** Opens the next chunk into {@code out} (null: into a scratch buffer); false if its tag fails. */
    boolean open(byte[] sealed, int offset, int length, byte[] out) {
      boolean opened = false;
      if (failedChunk < 0) {
        try {
          cipher.init(Cipher.DECRYPT_MODE, key, chunkNonce(index, index == chunks - 1));
          cipher.doFinal(sealed, offset, length, out == null ? plaintext : out, 0);
          opened = true;
        } catch (AEADBadTagException e) {
          failedChunk = index;
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("AES-GCM with a chunk of room failed", e);
        }
      }
      index++;
      return opened;
    }

    void check(byte[] sealed, int offset, int length) {
      open(sealed, offset, length, null);
    }

    void checkComplete() throws CorruptAttachmentException {
      if (failedChunk >= 0) {
        throw new CorruptAttachmentException("Chunk " + failedChunk + " of " + chunks + " of the attachment does not"
            + " authenticate: it was altered, moved or cut off, or encrypted with another key");
      }
      if (index != chunks) {
        throw new CorruptAttachmentException("The attachment is truncated: " + index + " of " + chunks + " chunks");
      }
    }
  }

  /** Second pass over a CHUNKED_GCM file: opens each chunk and writes the first {@code plaintextLength} bytes. */
  private static void decryptVerifiedChunks(AttachmentKey key, long plaintextLength, FileChannel channel,
      long offset, long length, OutputStream plaintext) throws IOException, CorruptAttachmentException {
    ChunkOpener opener = new ChunkOpener(key, length);
    ByteBuffer sealed = ByteBuffer.allocate(GCM_SEALED_CHUNK);
    readFully(channel, sealed, offset, GCM_HEADER);
    opener.start(Arrays.copyOf(sealed.array(), GCM_HEADER));
    byte[] output = new byte[GCM_CHUNK];
    long remaining = plaintextLength;
    for (long position = GCM_HEADER; position < length; ) {
      int sealedLength = opener.sealedLength();
      readFully(channel, sealed.clear(), offset + position, sealedLength);
      if (!opener.open(sealed.array(), 0, sealedLength, output)) {
        throw new CorruptAttachmentException("The attachment changed on disk while it was being decrypted");
      }
      remaining -= writeUpTo(plaintext, output, sealedLength - GCM_TAG, remaining);
      position += sealedLength;
    }
    if (remaining != 0) {
      throw new CorruptAttachmentException("The attachment is shorter than its message says (" + remaining
          + " bytes missing)");
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

  private static Cipher gcm() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every Java has AES-GCM", e);
    }
  }

  /** The plaintext was longer or shorter than announced: the file changed while it was read. */
  public static final class SourceChangedException extends IOException {
    SourceChangedException(String message) {
      super(message);
    }
  }

  /**
   * Encrypts what is written to it; {@link #finish()} pads, seals the last chunk (or appends the MAC) and gives the
   * digest. The caller's thread encrypts; for a file of a few buffers or more, a second thread computes the digest
   * (and for CBC_HMAC the MAC) over the ciphertext and writes it ({@link ChunkPipeline}), so the two cores of a
   * small machine share the work.
   */
  public static final class EncryptingStream extends OutputStream {

    private final AttachmentFormat format;
    private final long plaintextLength;
    private final long paddedLength;
    private final OutputStream out;
    private final MessageDigest digest = sha256();
    private final ChunkPipeline pipeline;
    private long written;
    private long ciphertextLength;
    private boolean finished;
    // CBC_HMAC
    private final Cipher cbc;
    private final Mac mac;
    // CHUNKED_GCM: a chunk of plaintext being filled, and the buffer of sealed chunks for the writing thread.
    private final SecretKeySpec gcmKey;
    private final Cipher gcm;
    private final long chunks;
    private final byte[] plainChunk;
    private int plainFill;
    private long chunkIndex;
    private byte[] sealed;
    private int sealedFill;

    private EncryptingStream(AttachmentFormat format, AttachmentKey key, long plaintextLength, long paddedLength,
        OutputStream out) throws IOException {
      this.format = format;
      this.plaintextLength = plaintextLength;
      this.paddedLength = paddedLength;
      this.out = out;
      int bufferSize = format == AttachmentFormat.CBC_HMAC ? BUFFER + BLOCK
          : GCM_HEADER + GCM_CHUNKS_PER_BUFFER * GCM_SEALED_CHUNK;
      this.pipeline = paddedLength >= 4L * BUFFER ? ChunkPipeline.threaded(bufferSize, this::emit)
          : ChunkPipeline.direct(bufferSize, this::emit);
      if (format == AttachmentFormat.CBC_HMAC) {
        byte[] iv = new byte[IV_LENGTH];
        RANDOM.nextBytes(iv);
        this.cbc = cipher(Cipher.ENCRYPT_MODE, key, iv);
        this.mac = mac(key);
        this.gcmKey = null;
        this.gcm = null;
        this.chunks = 0;
        this.plainChunk = null;
        byte[] first = pipeline.buffer();
        System.arraycopy(iv, 0, first, 0, IV_LENGTH);
        pipeline.submit(first, IV_LENGTH);
      } else {
        this.cbc = null;
        this.mac = null;
        byte[] salt = new byte[GCM_HEADER];
        RANDOM.nextBytes(salt);
        this.gcmKey = chunkKey(key, salt);
        this.gcm = gcm();
        this.chunks = gcmChunks(paddedLength);
        this.plainChunk = new byte[GCM_CHUNK];
        sealed = pipeline.buffer();
        System.arraycopy(salt, 0, sealed, 0, GCM_HEADER);
        sealedFill = GCM_HEADER;
      }
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
      if (format == AttachmentFormat.CHUNKED_GCM) {
        encryptChunks(bytes, offset, length);
        return;
      }
      while (length > 0) {
        int step = Math.min(length, BUFFER);
        byte[] output = pipeline.buffer();
        try {
          int produced = cbc.update(bytes, offset, step, output, 0);
          pipeline.submit(output, produced);
        } catch (ShortBufferException e) {
          throw new IllegalStateException("AES-CBC with a block of room failed", e);
        }
        offset += step;
        length -= step;
      }
    }

    /** Fills chunks, sealing each as soon as it is full (its index says whether it is the last). */
    private void encryptChunks(byte[] bytes, int offset, int length) throws IOException {
      while (length > 0) {
        if (plainFill == 0 && length >= GCM_CHUNK) {
          seal(bytes, offset, GCM_CHUNK); // a whole chunk in the caller's buffer: no copy
          offset += GCM_CHUNK;
          length -= GCM_CHUNK;
          continue;
        }
        int step = Math.min(length, GCM_CHUNK - plainFill);
        System.arraycopy(bytes, offset, plainChunk, plainFill, step);
        plainFill += step;
        offset += step;
        length -= step;
        if (plainFill == GCM_CHUNK) {
          seal(plainChunk, 0, GCM_CHUNK);
          plainFill = 0;
        }
      }
    }

    private void seal(byte[] plaintext, int offset, int length) throws IOException {
      if (chunkIndex >= chunks) {
        throw new IllegalStateException("More chunks than the " + chunks + " of the padded length");
      }
      if (sealed == null) {
        sealed = pipeline.buffer();
        sealedFill = 0;
      }
      try {
        gcm.init(Cipher.ENCRYPT_MODE, gcmKey, chunkNonce(chunkIndex, chunkIndex == chunks - 1));
        sealedFill += gcm.doFinal(plaintext, offset, length, sealed, sealedFill);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM with a chunk of room failed", e);
      }
      chunkIndex++;
      if (sealed.length - sealedFill < GCM_SEALED_CHUNK) {
        pipeline.submit(sealed, sealedFill);
        sealed = null;
      }
    }

    /** Pads, finishes the last chunk (or the CBC part and the MAC); returns the ciphertext's digest and length. */
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
      if (format == AttachmentFormat.CHUNKED_GCM) {
        if (plainFill > 0 || chunkIndex == 0) {
          seal(plainChunk, 0, plainFill);
        }
        if (sealed != null) {
          pipeline.submit(sealed, sealedFill);
          sealed = null;
        }
        pipeline.finish();
        out.flush();
        return new Sealed(digest.digest(), ciphertextLength);
      }
      try {
        byte[] output = pipeline.buffer();
        int produced = cbc.doFinal(output, 0);
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

    /** On the pipeline's thread: one buffer of ciphertext. */
    private void emit(byte[] bytes, int length) throws IOException {
      out.write(bytes, 0, length);
      if (mac != null) {
        mac.update(bytes, 0, length);
      }
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
