package org.parley.client.internal.attachments;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.parley.client.api.CorruptAttachmentException;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NotFoundException;
import org.parley.client.internal.db.KeyFile;
import org.signal.libsignal.protocol.kdf.HKDF;

/**
 * The attachments a client has sent or received, one encrypted file each under {@code DATA_DIR/attachments/}
 * (docs/decisions/0121-attachments-client.md, 0122-attachment-throughput.md). A file is the attachment's transport
 * ciphertext ({@link AttachmentCipher} output under the attachment's own key, padded as uploaded) followed by a
 * trailer {@code salt (32) || size (8) || AES-256-GCM(attachment key) (80) || magic}, where the magic names the
 * ciphertext's {@link AttachmentFormat} ({@code "PARLEYA3"}: CHUNKED_GCM, {@code "PARLEYA2"}: CBC_HMAC); the key that wraps the
 * attachment key is derived with HKDF from the database key ({@code db.key}, ADR 0201) and the file's random salt,
 * so a copied file is useless without {@code db.key}, and a changed trailer fails the GCM tag. So the sender uploads
 * straight from its local copy and the receiver keeps the verified download as it is: one pass over the bytes each.
 * Files of the first format ({@code "PARLEYA1" || salt || size ||} ciphertext under an HKDF-derived key) still read.
 * Files are written to a temporary file, synced, and moved into place: a crash leaves the old file or the new one,
 * never half of one (leftover temporary files are removed on open).
 */
public final class AttachmentFiles {

  private static final byte[] MAGIC = "PARLEYA1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRAILER_MAGIC = "PARLEYA2".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRAILER_MAGIC_GCM = "PARLEYA3".getBytes(StandardCharsets.US_ASCII);
  private static final int SALT_LENGTH = 32;
  private static final int HEADER_LENGTH = MAGIC.length + SALT_LENGTH + Long.BYTES;
  private static final int GCM_TAG_LENGTH = 16;
  private static final int WRAPPED_KEY_LENGTH = AttachmentKey.LENGTH + GCM_TAG_LENGTH;
  /** salt, size, wrapped key, magic. */
  static final int TRAILER_LENGTH = SALT_LENGTH + Long.BYTES + WRAPPED_KEY_LENGTH + TRAILER_MAGIC.length;
  private static final byte[] KDF_SALT = "Parley attachments at rest".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KDF_INFO = "Parley attachment file key v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KDF_INFO_WRAP = "Parley attachment key wrap v2".getBytes(StandardCharsets.US_ASCII);
  private static final int COPY_BUFFER = 256 * 1024;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final String TEMPORARY_PREFIX = ".tmp-";
  private static final int MOST_NUMBERED_NAMES = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path directory;
  private final byte[] masterKey;

  private AttachmentFiles(Path directory, byte[] masterKey) {
    this.directory = directory;
    this.masterKey = masterKey;
  }

  /** The store of the client whose data directory is {@code dataDir}, keyed by its {@code db.key}. */
  public static AttachmentFiles open(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    byte[] databaseKey = HexFormat.of().parseHex(KeyFile.loadOrCreate(dataDir.resolve("db.key")));
    Path directory = dataDir.resolve("attachments");
    if (!Files.isDirectory(directory)) {
      if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(directory);
      }
    }
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, TEMPORARY_PREFIX + "*")) {
      for (Path leftover : leftovers) {
        Files.deleteIfExists(leftover);
      }
    }
    byte[] masterKey = HKDF.deriveSecrets(databaseKey, KDF_SALT, KDF_INFO, 32);
    Arrays.fill(databaseKey, (byte) 0);
    return new AttachmentFiles(directory, masterKey);
  }

  /**
   * A new file for attachment {@code id} ({@code [A-Za-z0-9_-]}, at most 64) of exactly {@code size} bytes under a
   * fresh key, unpadded: write the plaintext to {@link PendingFile#stream()}, then {@link PendingFile#commit()};
   * closing without committing leaves nothing behind (and any earlier file of that id as it was).
   */
  public PendingFile create(String id, long size) throws IOException, InvalidInputException {
    return create(id, AttachmentFormat.CURRENT, AttachmentKey.random(), size, size);
  }

  /**
   * As {@link #create(String, long)}, encrypted under {@code key} and padded to {@code paddedSize}: the file's
   * ciphertext is then exactly what is uploaded ({@link #ciphertextOf}).
   */
  public PendingFile create(String id, AttachmentKey key, long size, long paddedSize)
      throws IOException, InvalidInputException {
    return create(id, AttachmentFormat.CURRENT, key, size, paddedSize);
  }

  /** As above, with the ciphertext in {@code format}. */
  public PendingFile create(String id, AttachmentFormat format, AttachmentKey key, long size, long paddedSize)
      throws IOException, InvalidInputException {
    Path target = fileOf(id);
    if (size < 0) {
      throw new InvalidInputException("An attachment's size cannot be negative: " + size);
    }
    Path temporary = Files.createTempFile(directory, TEMPORARY_PREFIX, "");
    try {
      FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
      OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), COPY_BUFFER);
      return new PendingFile(this, target, temporary, channel, file, format, key, size,
          AttachmentCipher.encryptingStream(format, key, size, paddedSize, file));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
  }

  /** Stores exactly {@code size} bytes of {@code plaintext} as attachment {@code id}. */
  public void store(String id, InputStream plaintext, long size) throws IOException, InvalidInputException {
    try (PendingFile file = create(id, size)) {
      long copied = plaintext.transferTo(file.stream());
      if (copied != size) {
        throw new IOException("Expected " + size + " bytes, got " + copied + ": the source changed while read");
      }
      file.commit();
    }
  }

  /**
   * Stores a downloaded attachment: {@code ciphertext} is checked against the message's digest and MAC first (one
   * read) and only then becomes the stored file, moved into the store as it is; a tampered or truncated download
   * stores nothing.
   */
  public void storeDownloaded(String id, AttachmentKey key, byte[] digest, long size, Path ciphertext)
      throws IOException, InvalidInputException, CorruptAttachmentException {
    storeDownloaded(id, AttachmentFormat.CURRENT, key, digest, size, ciphertext);
  }

  /** As above, for a ciphertext in {@code format}. */
  public void storeDownloaded(String id, AttachmentFormat format, AttachmentKey key, byte[] digest, long size,
      Path ciphertext) throws IOException, InvalidInputException, CorruptAttachmentException {
    long length = Files.size(ciphertext);
    AttachmentCipher.Verifier verifier = AttachmentCipher.Verifier.of(format, key, length, size);
    try (FileChannel channel = FileChannel.open(ciphertext, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
      for (long position = 0; position < length; ) {
        int read = channel.read(buffer.clear(), position);
        if (read < 0) {
          throw new CorruptAttachmentException("The download shrank while it was checked");
        }
        verifier.update(buffer.array(), 0, (int) Math.min(read, length - position));
        position += read;
      }
    }
    storeDownloaded(id, key, digest, size, ciphertext, verifier);
  }

  /**
   * Stores a download whose every byte {@code verifier} saw as it was written to {@code ciphertext}: checks the
   * digest and MAC it computed, then appends the trailer and moves the file into the store. Nothing is read again.
   */
  public void storeDownloaded(String id, AttachmentKey key, byte[] digest, long size, Path ciphertext,
      AttachmentCipher.Verifier verifier) throws IOException, InvalidInputException, CorruptAttachmentException {
    Path target = fileOf(id);
    if (digest == null || digest.length != 32) {
      throw new CorruptAttachmentException("The attachment's digest must be 32 bytes (SHA-256)");
    }
    verifier.check(digest);
    if (Files.size(ciphertext) != verifier.position()) {
      throw new CorruptAttachmentException("The download changed on disk after it was checked");
    }
    Path adopted = ciphertext;
    if (!Files.getFileStore(ciphertext).equals(Files.getFileStore(directory))) {
      adopted = Files.createTempFile(directory, TEMPORARY_PREFIX, "");
      Files.copy(ciphertext, adopted, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel channel = FileChannel.open(adopted, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      channel.write(ByteBuffer.wrap(trailer(verifier.format(), key, size)));
      channel.force(true);
    }
    moveIntoPlace(adopted, target);
    if (adopted != ciphertext) {
      Files.deleteIfExists(ciphertext);
    }
  }

  /**
   * The upload of attachment {@code id}: its file and how many of its first bytes are the transport ciphertext;
   * empty for a file of the first format (its transport ciphertext was written separately).
   */
  public Optional<Ciphertext> ciphertextOf(String id)
      throws IOException, InvalidInputException, NotFoundException, CorruptAttachmentException {
    Stored stored = stored(id);
    return stored.ciphertextLength < 0 ? Optional.empty()
        : Optional.of(new Ciphertext(fileOf(id), stored.ciphertextLength));
  }

  /** The first {@code length} bytes of {@code file} are an attachment's transport ciphertext. */
  public record Ciphertext(Path file, long length) {}

  /** Whether attachment {@code id} is stored here. */
  public boolean contains(String id) throws InvalidInputException {
    return Files.isRegularFile(fileOf(id));
  }

  /** The plaintext size of attachment {@code id}, from its header. */
  public long size(String id) throws IOException, InvalidInputException, NotFoundException,
      CorruptAttachmentException {
    return stored(id).size;
  }

  /**
   * Writes attachment {@code id}'s plaintext to {@code out}, after checking the whole file's MAC. If the file changed
   * between the check and the copy the exception says so, and what was written must be discarded.
   */
  public void copyTo(String id, OutputStream out)
      throws IOException, InvalidInputException, NotFoundException, CorruptAttachmentException {
    Stored stored = stored(id);
    if (stored.ciphertextLength < 0) {
      AttachmentCipher.decrypt(AttachmentFormat.CBC_HMAC, stored.key, null, stored.size, fileOf(id), HEADER_LENGTH,
          -1, out);
    } else {
      AttachmentCipher.decrypt(stored.format, stored.key, null, stored.size, fileOf(id), 0, stored.ciphertextLength,
          out);
    }
  }

  /**
   * Decrypts attachment {@code id} into {@code directory} under a safe, unused version of {@code suggestedName}
   * (the sender's name: see {@link SafeFileNames}), or of {@code fallbackName} when nothing of it is usable; returns
   * the path. The file appears complete or not at all: it is decrypted into a hidden temporary file beside it first.
   * An existing file is never replaced.
   */
  public Path saveAs(String id, Path directory, String suggestedName, String fallbackName)
      throws IOException, InvalidInputException, NotFoundException, CorruptAttachmentException {
    if (!Files.isDirectory(directory)) {
      throw new InvalidInputException("Cannot save into " + directory + ": not a directory");
    }
    Path real = directory.toRealPath();
    String name = SafeFileNames.sanitize(suggestedName, fallbackName);
    Path temporary = Files.createTempFile(real, ".parley-", ".part");
    try {
      try (OutputStream out = Files.newOutputStream(temporary)) {
        copyTo(id, out);
      }
      for (int number = 1; number <= MOST_NUMBERED_NAMES; number++) {
        Path target = real.resolve(number == 1 ? name : SafeFileNames.numbered(name, number));
        if (!real.equals(target.getParent())) {
          throw new IllegalStateException("A sanitised name left the directory: " + target);
        }
        try {
          Files.createFile(target); // claims the name: fails if anything, even a dangling link, has it
        } catch (FileAlreadyExistsException taken) {
          continue;
        }
        try {
          if (real.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // Temporary files are owner-only; the saved one gets the permissions the user's umask gave the claim.
            Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(target));
          }
          Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          return target;
        } catch (IOException | RuntimeException e) {
          Files.deleteIfExists(target);
          throw e;
        }
      }
      throw new IOException("No free name for " + name + " in " + real + " after " + MOST_NUMBERED_NAMES + " tries");
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Deletes attachment {@code id}; false if it was not stored. */
  public boolean delete(String id) throws IOException, InvalidInputException {
    return Files.deleteIfExists(fileOf(id));
  }

  private Path fileOf(String id) throws InvalidInputException {
    if (id == null || !ID.matcher(id).matches()) {
      throw new InvalidInputException("An attachment id is 1 to 64 letters, digits, '-' or '_', not " + id);
    }
    return directory.resolve(id);
  }

  /** What the file of attachment {@code id} says about itself: its key, size and (second format) ciphertext. */
  private Stored stored(String id)
      throws IOException, InvalidInputException, NotFoundException, CorruptAttachmentException {
    Path file = fileOf(id);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long length = channel.size();
      if (length >= TRAILER_LENGTH) {
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER_LENGTH);
        readFully(channel, trailer, length - TRAILER_LENGTH);
        byte[] bytes = trailer.array();
        for (AttachmentFormat format : AttachmentFormat.values()) {
          byte[] magic = trailerMagic(format);
          if (Arrays.equals(bytes, TRAILER_LENGTH - magic.length, TRAILER_LENGTH, magic, 0, magic.length)) {
            return unwrap(id, format, bytes, length - TRAILER_LENGTH);
          }
        }
      }
      ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
      if (length < HEADER_LENGTH) {
        throw new CorruptAttachmentException("The stored attachment " + id + " is damaged (no valid header)");
      }
      readFully(channel, header, 0);
      byte[] bytes = header.array();
      if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
        throw new CorruptAttachmentException("The stored attachment " + id + " is damaged (no valid header)");
      }
      ByteBuffer fields = ByteBuffer.wrap(bytes, MAGIC.length, SALT_LENGTH + Long.BYTES);
      byte[] salt = new byte[SALT_LENGTH];
      fields.get(salt);
      long size = fields.getLong();
      if (size < 0) {
        throw new CorruptAttachmentException("The stored attachment " + id + " is damaged (negative size)");
      }
      return new Stored(AttachmentFormat.CBC_HMAC, fileKey(salt, size), size, -1);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("No attachment " + id + " is stored on this device", e);
    }
  }

  private Stored unwrap(String id, AttachmentFormat format, byte[] trailer, long ciphertextLength)
      throws CorruptAttachmentException {
    ByteBuffer fields = ByteBuffer.wrap(trailer);
    byte[] salt = new byte[SALT_LENGTH];
    fields.get(salt);
    long size = fields.getLong();
    byte[] wrapped = new byte[WRAPPED_KEY_LENGTH];
    fields.get(wrapped);
    try {
      Cipher gcm = wrapCipher(Cipher.DECRYPT_MODE, trailerMagic(format), salt, size);
      byte[] key = gcm.doFinal(wrapped);
      try {
        return new Stored(format, AttachmentKey.of(key), size, ciphertextLength);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    } catch (AEADBadTagException e) {
      throw new CorruptAttachmentException("The stored attachment " + id + " is damaged, or belongs to another"
          + " device (its key does not unwrap)", e);
    } catch (GeneralSecurityException | InvalidInputException e) {
      throw new IllegalStateException("AES-GCM unwrapping of 64 bytes failed", e);
    }
  }

  /** The magic that ends the trailer of a file whose ciphertext is in {@code format}. */
  private static byte[] trailerMagic(AttachmentFormat format) {
    return format == AttachmentFormat.CBC_HMAC ? TRAILER_MAGIC : TRAILER_MAGIC_GCM;
  }

  /** The trailer of a stored file: the attachment key wrapped under a key from the database key. */
  private byte[] trailer(AttachmentFormat format, AttachmentKey key, long size) {
    byte[] salt = new byte[SALT_LENGTH];
    RANDOM.nextBytes(salt);
    byte[] plainKey = key.bytes();
    try {
      byte[] magic = trailerMagic(format);
      byte[] wrapped = wrapCipher(Cipher.ENCRYPT_MODE, magic, salt, size).doFinal(plainKey);
      return ByteBuffer.allocate(TRAILER_LENGTH).put(salt).putLong(size).put(wrapped).put(magic).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM wrapping of 64 bytes failed", e);
    } finally {
      Arrays.fill(plainKey, (byte) 0);
    }
  }

  /**
   * AES-256-GCM under a key derived from the master key and the file's random salt; the salt makes each wrapping
   * key new, so the all-zero nonce is used once per key. The size and the magic are authenticated data.
   */
  private Cipher wrapCipher(int mode, byte[] magic, byte[] salt, long size) throws GeneralSecurityException {
    byte[] wrapKey = HKDF.deriveSecrets(masterKey, salt, KDF_INFO_WRAP, 32);
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(mode, new SecretKeySpec(wrapKey, "AES"), new GCMParameterSpec(GCM_TAG_LENGTH * 8, new byte[12]));
      gcm.updateAAD(ByteBuffer.allocate(magic.length + Long.BYTES).put(magic).putLong(size).array());
      return gcm;
    } finally {
      Arrays.fill(wrapKey, (byte) 0);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("The file ended early (it shrank while being read)");
      }
    }
  }

  private AttachmentKey fileKey(byte[] salt, long size) {
    byte[] info = ByteBuffer.allocate(KDF_INFO.length + Long.BYTES).put(KDF_INFO).putLong(size).array();
    try {
      return AttachmentKey.of(HKDF.deriveSecrets(masterKey, salt, info, AttachmentKey.LENGTH));
    } catch (InvalidInputException e) {
      throw new IllegalStateException("HKDF gave a key of the wrong length", e);
    }
  }

  /** A file's format, key and plaintext size, and its ciphertext's length (-1 for the first file layout). */
  private record Stored(AttachmentFormat format, AttachmentKey key, long size, long ciphertextLength) {}

  /** Renames a synced temporary file over {@code target} and makes the rename durable. */
  private static void moveIntoPlace(Path temporary, Path target) throws IOException {
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("The attachments directory " + target.getParent() + " cannot rename atomically", e);
    }
    syncDirectory(target.getParent());
  }

  /** Makes the rename durable where the platform allows opening a directory (Linux, macOS); elsewhere a no-op. */
  private static void syncDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException notSupported) {
      // Windows cannot open a directory as a channel; NTFS journals the rename itself.
    }
  }

  /** A file being written; {@link #commit()} makes it the attachment, {@link #close()} alone discards it. */
  public static final class PendingFile implements Closeable {
    private final AttachmentFiles files;
    private final Path target;
    private final Path temporary;
    private final FileChannel channel;
    private final OutputStream file;
    private final AttachmentFormat format;
    private final AttachmentKey key;
    private final long size;
    private final AttachmentCipher.EncryptingStream encrypting;
    private boolean committed;

    private PendingFile(AttachmentFiles files, Path target, Path temporary, FileChannel channel, OutputStream file,
        AttachmentFormat format, AttachmentKey key, long size, AttachmentCipher.EncryptingStream encrypting) {
      this.format = format;
      this.files = files;
      this.target = target;
      this.temporary = temporary;
      this.channel = channel;
      this.file = file;
      this.key = key;
      this.size = size;
      this.encrypting = encrypting;
    }

    /** Where the plaintext goes. */
    public OutputStream stream() {
      return encrypting;
    }

    /**
     * The file being written, opened for reading: it grows in order (each byte written once) while the plaintext is
     * sealed, and stays readable through this channel after {@link #commit} moves it or {@link #close} deletes it.
     */
    public FileChannel openReader() throws IOException {
      return FileChannel.open(temporary, StandardOpenOption.READ);
    }

    /**
     * Finishes the encryption, appends the trailer, syncs the file to disk and moves it into place, replacing an
     * earlier one; returns the ciphertext's digest and length (the trailer not counted).
     */
    public AttachmentCipher.Sealed commit() throws IOException {
      AttachmentCipher.Sealed sealed = encrypting.finish();
      file.write(files.trailer(format, key, size));
      file.flush();
      channel.force(true);
      file.close();
      moveIntoPlace(temporary, target);
      committed = true;
      return sealed;
    }

    @Override
    public void close() throws IOException {
      if (!committed) {
        try {
          encrypting.close();
          file.close();
        } finally {
          Files.deleteIfExists(temporary);
        }
      }
    }
  }
}
