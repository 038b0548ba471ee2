package org.parley.client.internal.attachments;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.parley.client.api.CorruptAttachmentException;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.attachments.OutgoingAttachment;

/**
 * Turns a file the person chose into what the outbox uploads (docs/decisions/0121-attachments-client.md): checks it,
 * strips a picture's metadata and makes its thumbnail, then in one read encrypts it under a fresh
 * {@link AttachmentKey} into the local store ({@link AttachmentFiles}): that file's ciphertext is what is uploaded.
 * It stays byte for byte the same until the message is sent, so an upload interrupted at any point continues from
 * the server's offset.
 */
public final class OutgoingFiles {

  /** What the server accepts unless it told us otherwise (its {@code attachments.max-size} default, 100 MiB). */
  public static final long DEFAULT_SERVER_MAX = 100L << 20;
  private static final Pattern CONTENT_TYPE = Pattern.compile("[a-z0-9!#$&^_.+-]{1,127}/[a-z0-9!#$&^_.+-]{1,127}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String OCTET_STREAM = "application/octet-stream";

  /**
   * A file ready to upload.
   *
   * @param thumbnail empty unless it is a picture sent as a picture
   */
  public record Prepared(String fileId, AttachmentFormat format, AttachmentKey key, byte[] digest, long size,
      long ciphertextSize, String contentType, String fileName, Optional<Thumbnail> thumbnail,
      Optional<String> caption, Optional<String> serverId) {}

  /**
   * Starts uploading a file's ciphertext while it is sealed (ADR 0122, fourth step): reserves a slot and sends the
   * bytes as they are written.
   */
  public interface EarlyUploads {
    /**
     * Follows {@code sealing} (the file being written, read only up to what it holds) into a new slot of
     * {@code ciphertextLength} bytes; empty when no upload was started (no network, closing). Owns the channel.
     */
    Optional<EarlyUpload> start(FileChannel sealing, long ciphertextLength);

    /** Gives up slot {@code serverId} of a prepared file whose message was not stored (best effort). */
    void giveUp(String serverId);
  }

  /** An upload started by {@link EarlyUploads#start}. */
  public interface EarlyUpload {
    /**
     * The file is sealed and on disk: stops the upload where it is (the server keeps what it received) and returns
     * its slot, which the attachment's row then names; the outbox's upload continues from the server's offset.
     */
    Optional<String> sealed();

    /** The file is not kept: stops the upload and gives the slot up. */
    void abandon();
  }

  /** Files from this many ciphertext bytes on are uploaded while they are sealed; smaller ones gain nothing. */
  static final long EARLY_UPLOAD_MIN_BYTES = 4L << 20;

  private final AttachmentFiles files;
  private final Path uploads;
  private final Thumbnails thumbnails;
  private volatile EarlyUploads earlyUploads;

  public OutgoingFiles(AttachmentFiles files, Path uploads, Thumbnails thumbnails) {
    this.files = files;
    this.uploads = uploads;
    this.thumbnails = thumbnails;
  }

  /** The transport ciphertext's length for a plaintext of {@code size} bytes (padded), as sent now. */
  public static long ciphertextSizeOf(long size) {
    return ciphertextSizeOf(AttachmentFormat.CURRENT, size);
  }

  /** The transport ciphertext's length for a plaintext of {@code size} bytes (padded to its bucket). */
  public static long ciphertextSizeOf(AttachmentFormat format, long size) {
    return format.ciphertextLength(PaddedSizes.paddedSize(size));
  }

  /**
   * Where a client before ADR 0122 kept the transport ciphertext of {@code fileId} until its message was sent (its
   * local copy was encrypted separately); now the local copy is the transport ciphertext.
   */
  public Path uploadFile(String fileId) {
    return uploads.resolve(fileId);
  }

  /**
   * What to upload for {@code fileId}: the ciphertext part of its local copy, or the separate upload copy a client
   * before ADR 0122 wrote (kept until its message is sent). A missing or damaged copy is an {@link IOException}.
   */
  public AttachmentFiles.Ciphertext uploadSource(String fileId, long ciphertextSize) throws IOException {
    Path legacy = uploadFile(fileId);
    if (Files.isRegularFile(legacy)) {
      return new AttachmentFiles.Ciphertext(legacy, Files.size(legacy));
    }
    AttachmentFiles.Ciphertext stored;
    try {
      stored = files.ciphertextOf(fileId).orElseThrow(() -> new IOException("its upload copy is missing"));
    } catch (InvalidInputException | NotFoundException | CorruptAttachmentException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (stored.length() != ciphertextSize) {
      throw new IOException("it holds " + stored.length() + " bytes of ciphertext, not the " + ciphertextSize
          + " its message was prepared with");
    }
    return stored;
  }

  /** A new random local file id (22 base64url characters). */
  public static String newFileId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Checks {@code attachment} (exists, readable, at most {@code serverMax} bytes once encrypted and padded) and
   * prepares it; {@link InvalidInputException} says what is wrong and leaves nothing behind.
   */
  public Prepared prepare(OutgoingAttachment attachment, long serverMax) throws InvalidInputException, IOException {
    return prepare(attachment, serverMax, false);
  }

  /**
   * As {@link #prepare(OutgoingAttachment, long)}; with {@code uploadWhileSealing} a large file's upload starts
   * while it is sealed, through the {@link #earlyUploads} set, and {@link Prepared#serverId} names its slot.
   */
  public Prepared prepare(OutgoingAttachment attachment, long serverMax, boolean uploadWhileSealing)
      throws InvalidInputException, IOException {
    Path file = attachment.file();
    if (file == null) {
      throw new InvalidInputException("An attachment needs a file");
    }
    return prepare(attachment, file.getFileName() == null ? "" : file.getFileName().toString(), serverMax,
        uploadWhileSealing ? earlyUploads : null);
  }

  /** Who starts uploads while files are sealed (the composition root sets it; none until then). */
  public void earlyUploads(EarlyUploads uploads) {
    this.earlyUploads = uploads;
  }

  /**
   * Prepares a voice note's Ogg Opus file, made in memory, as an {@code audio/ogg} attachment named
   * {@code fileName}; it passes through a temporary file next to the upload ciphertexts.
   */
  public Prepared prepareVoiceNote(byte[] oggOpus, String fileName, long serverMax)
      throws InvalidInputException, IOException {
    Files.createDirectories(uploads);
    Path temporary = Files.createTempFile(uploads, ".tmp-voice-", ".ogg");
    try {
      Files.write(temporary, oggOpus);
      return prepare(new OutgoingAttachment(temporary, Optional.of("audio/ogg"), Optional.empty(), true), fileName,
          serverMax, null);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private Prepared prepare(OutgoingAttachment attachment, String name, long serverMax, EarlyUploads early)
      throws InvalidInputException, IOException {
    Path file = attachment.file();
    long size = checkedSize(file, serverMax);
    Optional<String> caption = attachment.caption().filter(c -> !c.isBlank());
    if (caption.isPresent() && caption.get().length() > AttachmentPointers.MAX_CAPTION_CHARS) {
      throw new InvalidInputException("The caption of " + name + " is longer than "
          + AttachmentPointers.MAX_CAPTION_CHARS + " characters");
    }
    MetadataStripper.Format format = sniff(file);
    String contentType = contentType(attachment, file, format);
    boolean picture = !attachment.asFile() && contentType.startsWith("image/");
    Optional<Thumbnail> thumbnail = Optional.empty();
    if (picture) {
      try {
        thumbnail = Optional.of(thumbnails.of(file));
      } catch (InvalidInputException notDecodable) {
        // Too many pixels or a format ImageIO cannot read: it goes without a thumbnail, like a file.
      }
    }
    boolean strip = !attachment.asFile() && format != MetadataStripper.Format.OTHER;
    long plaintextSize = strip ? strippedSize(file, name) : size;
    String fileId = newFileId();
    AttachmentKey key = AttachmentKey.random();
    // One pass: the local copy is the transport ciphertext (with its key wrapped in a trailer), so it is also
    // what the outbox uploads.
    AttachmentFormat cipherFormat = AttachmentFormat.CURRENT;
    long ciphertextLength = ciphertextSizeOf(cipherFormat, plaintextSize);
    EarlyUpload upload = null;
    try (AttachmentFiles.PendingFile local = files.create(fileId, cipherFormat, key, plaintextSize,
        PaddedSizes.paddedSize(plaintextSize))) {
      if (early != null && ciphertextLength >= EARLY_UPLOAD_MIN_BYTES) {
        upload = startEarly(early, local, ciphertextLength);
      }
      try (InputStream in = Files.newInputStream(file)) {
        if (strip) {
          MetadataStripper.strip(new BufferedInputStream(in, 64 * 1024), local.stream());
        } else {
          byte[] buffer = new byte[256 * 1024];
          for (int read; (read = in.read(buffer)) >= 0; ) {
            local.stream().write(buffer, 0, read);
          }
        }
      }
      AttachmentCipher.Sealed sealed = local.commit();
      if (sealed.ciphertextLength() != ciphertextLength) {
        throw new IllegalStateException("sealed " + sealed.ciphertextLength() + " bytes, expected "
            + ciphertextLength);
      }
      Optional<String> serverId = upload == null ? Optional.empty() : upload.sealed();
      upload = null;
      return new Prepared(fileId, cipherFormat, key, sealed.digest(), plaintextSize, sealed.ciphertextLength(),
          contentType, name, thumbnail, caption, serverId);
    } catch (AttachmentCipher.SourceChangedException changed) {
      files.delete(fileId);
      throw new InvalidInputException(name + " changed while it was read; try again", changed);
    } catch (IOException | InvalidInputException | RuntimeException e) {
      files.delete(fileId);
      throw e;
    } finally {
      if (upload != null) {
        upload.abandon();
      }
    }
  }

  /** The upload while sealing, or null: a head start that cannot be had costs the send nothing. */
  private static EarlyUpload startEarly(EarlyUploads early, AttachmentFiles.PendingFile local, long ciphertextLength) {
    try {
      return early.start(local.openReader(), ciphertextLength).orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** Deletes what {@link #prepare} wrote for {@code fileId} (the message was not stored after all). */
  public void discard(String fileId) throws IOException, InvalidInputException {
    Files.deleteIfExists(uploadFile(fileId));
    files.delete(fileId);
  }

  /** As {@link #discard(String)}, and gives up the slot its upload while sealing reserved. */
  public void discard(Prepared prepared) throws IOException, InvalidInputException {
    EarlyUploads early = earlyUploads;
    if (prepared.serverId().isPresent() && early != null) {
      early.giveUp(prepared.serverId().get());
    }
    discard(prepared.fileId());
  }

  private static long checkedSize(Path file, long serverMax) throws InvalidInputException, IOException {
    if (!Files.exists(file)) {
      throw new InvalidInputException("There is no file " + file);
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + " is not a file");
    }
    if (!Files.isReadable(file)) {
      throw new InvalidInputException("Cannot read " + file + " (permission denied)");
    }
    long size = Files.size(file);
    if (ciphertextSizeOf(size) > serverMax) {
      throw new InvalidInputException(file.getFileName() + " is too large to send: " + megabytes(size)
          + "; the server takes attachments up to " + megabytes(serverMax) + " (encrypted and padded)");
    }
    return size;
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
  }

  private static MetadataStripper.Format sniff(Path file) throws IOException, InvalidInputException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(8);
    } catch (AccessDeniedException | NoSuchFileException e) {
      throw new InvalidInputException("Cannot read " + file + " (" + e.getMessage() + ")", e);
    }
    if (head.length >= 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8 && (head[2] & 0xff) == 0xFF) {
      return MetadataStripper.Format.JPEG;
    }
    if (head.length == 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
      return MetadataStripper.Format.PNG;
    }
    return MetadataStripper.Format.OTHER;
  }

  private static String contentType(OutgoingAttachment attachment, Path file, MetadataStripper.Format format)
      throws InvalidInputException, IOException {
    if (attachment.contentType().isPresent()) {
      String given = attachment.contentType().get().trim().toLowerCase(Locale.ROOT);
      if (!CONTENT_TYPE.matcher(given).matches()) {
        throw new InvalidInputException("\"" + attachment.contentType().get() + "\" is not a MIME type");
      }
      return given;
    }
    if (format == MetadataStripper.Format.JPEG) {
      return "image/jpeg";
    }
    if (format == MetadataStripper.Format.PNG) {
      return "image/png";
    }
    String probed = Files.probeContentType(file);
    return probed != null && CONTENT_TYPE.matcher(probed).matches() ? probed : OCTET_STREAM;
  }

  /** The size of the picture without its metadata: stripped once into nothing, to size the encrypted copies. */
  private static long strippedSize(Path file, String name) throws IOException, InvalidInputException {
    Counter counter = new Counter();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
      MetadataStripper.strip(in, counter);
    } catch (InvalidInputException malformed) {
      throw new InvalidInputException(name + " looks like a picture but is damaged (" + malformed.getMessage()
          + "); send it as a file to send it unchanged", malformed);
    }
    return counter.count;
  }

  /** Counts what is written and keeps nothing. */
  private static final class Counter extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      count += length;
    }
  }
}
