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
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.parley.client.api.CorruptAttachmentException;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NotFoundException;
import org.parley.client.internal.db.KeyFile;
import org.signal.libsignal.protocol.kdf.HKDF;

/**
 * The attachments a client has sent or received, one encrypted file each under {@code DATA_DIR/attachments/}
 * (docs/decisions/0121-attachments-client.md). Each file is {@code "PARLEYA1" || salt (32) || size (8) ||}
 * {@link AttachmentCipher} output, under a key derived with HKDF from the database key ({@code db.key}, ADR 0201),
 * the file's random salt and its size; so a copied file is useless without {@code db.key}, and a changed header
 * fails the MAC. Files are written to a temporary file, synced, and moved into place: a crash leaves the old file
 * or the new one, never half of one (leftover temporary files are removed on open).
 */
public final class AttachmentFiles {

  private static final byte[] MAGIC = "PARLEYA1".getBytes(StandardCharsets.US_ASCII);
  private static final int SALT_LENGTH = 32;
  private static final int HEADER_LENGTH = MAGIC.length + SALT_LENGTH + Long.BYTES;
  private static final byte[] KDF_SALT = "Parley attachments at rest".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KDF_INFO = "Parley attachment file key v1".getBytes(StandardCharsets.US_ASCII);
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
   * A new file for attachment {@code id} ({@code [A-Za-z0-9_-]}, at most 64) of exactly {@code size} bytes: write
   * the plaintext to {@link PendingFile#stream()}, then {@link PendingFile#commit()}; closing without committing
   * leaves nothing behind (and any earlier file of that id as it was).
   */
  public PendingFile create(String id, long size) throws IOException, InvalidInputException {
    Path target = fileOf(id);
    if (size < 0) {
      throw new InvalidInputException("An attachment's size cannot be negative: " + size);
    }
    byte[] salt = new byte[SALT_LENGTH];
    RANDOM.nextBytes(salt);
    Path temporary = Files.createTempFile(directory, TEMPORARY_PREFIX, "");
    try {
      FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
      OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
      file.write(ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC).put(salt).putLong(size).array());
      return new PendingFile(target, temporary, channel, file,
          AttachmentCipher.encryptingStream(fileKey(salt, size), size, size, file));
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
   * Stores a downloaded attachment: {@code ciphertext} is checked against the message's digest and MAC first and
   * only then decrypted into the store; a tampered or truncated download stores nothing.
   */
  public void storeDownloaded(String id, AttachmentKey key, byte[] digest, long size, Path ciphertext)
      throws IOException, InvalidInputException, CorruptAttachmentException {
    try (PendingFile file = create(id, size)) {
      AttachmentCipher.decrypt(key, digest, size, ciphertext, file.stream());
      file.commit();
    }
  }

  /** Whether attachment {@code id} is stored here. */
  public boolean contains(String id) throws InvalidInputException {
    return Files.isRegularFile(fileOf(id));
  }

  /** The plaintext size of attachment {@code id}, from its header. */
  public long size(String id) throws IOException, InvalidInputException, NotFoundException,
      CorruptAttachmentException {
    return header(id).size;
  }

  /**
   * Writes attachment {@code id}'s plaintext to {@code out}, after checking the whole file's MAC. If the file changed
   * between the check and the copy the exception says so, and what was written must be discarded.
   */
  public void copyTo(String id, OutputStream out)
      throws IOException, InvalidInputException, NotFoundException, CorruptAttachmentException {
    Header header = header(id);
    AttachmentCipher.decrypt(fileKey(header.salt, header.size), null, header.size, fileOf(id), HEADER_LENGTH, out);
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

  private Header header(String id)
      throws IOException, InvalidInputException, NotFoundException, CorruptAttachmentException {
    Path file = fileOf(id);
    byte[] header;
    try (InputStream in = Files.newInputStream(file)) {
      header = in.readNBytes(HEADER_LENGTH);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("No attachment " + id + " is stored on this device", e);
    }
    if (header.length < HEADER_LENGTH || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new CorruptAttachmentException("The stored attachment " + id + " is damaged (no valid header)");
    }
    ByteBuffer fields = ByteBuffer.wrap(header, MAGIC.length, SALT_LENGTH + Long.BYTES);
    byte[] salt = new byte[SALT_LENGTH];
    fields.get(salt);
    long size = fields.getLong();
    if (size < 0) {
      throw new CorruptAttachmentException("The stored attachment " + id + " is damaged (negative size)");
    }
    return new Header(salt, size);
  }

  private AttachmentKey fileKey(byte[] salt, long size) {
    byte[] info = ByteBuffer.allocate(KDF_INFO.length + Long.BYTES).put(KDF_INFO).putLong(size).array();
    try {
      return AttachmentKey.of(HKDF.deriveSecrets(masterKey, salt, info, AttachmentKey.LENGTH));
    } catch (InvalidInputException e) {
      throw new IllegalStateException("HKDF gave a key of the wrong length", e);
    }
  }

  private static final class Header {
    final byte[] salt;
    final long size;

    Header(byte[] salt, long size) {
      this.salt = salt;
      this.size = size;
    }
  }

  /** A file being written; {@link #commit()} makes it the attachment, {@link #close()} alone discards it. */
  public static final class PendingFile implements Closeable {
    private final Path target;
    private final Path temporary;
    private final FileChannel channel;
    private final OutputStream file;
    private final AttachmentCipher.EncryptingStream encrypting;
    private boolean committed;

    private PendingFile(Path target, Path temporary, FileChannel channel, OutputStream file,
        AttachmentCipher.EncryptingStream encrypting) {
      this.target = target;
      this.temporary = temporary;
      this.channel = channel;
      this.file = file;
      this.encrypting = encrypting;
    }

    /** Where the plaintext goes. */
    public OutputStream stream() {
      return encrypting;
    }

    /** Finishes the encryption, syncs the file to disk and moves it into place, replacing an earlier one. */
    public void commit() throws IOException {
      encrypting.finish();
      file.flush();
      channel.force(true);
      file.close();
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("The attachments directory " + target.getParent() + " cannot rename atomically", e);
      }
      syncDirectory(target.getParent());
      committed = true;
    }

    @Override
    public void close() throws IOException {
      if (!committed) {
        try {
          file.close();
        } finally {
          Files.deleteIfExists(temporary);
        }
      }
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux, macOS); elsewhere a no-op. */
    private static void syncDirectory(Path directory) {
      try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
        dir.force(true);
      } catch (IOException notSupported) {
        // Windows cannot open a directory as a channel; NTFS journals the rename itself.
      }
    }
  }
}
