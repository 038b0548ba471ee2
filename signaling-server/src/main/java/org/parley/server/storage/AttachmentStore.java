package org.parley.server.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * The bytes of attachments (ciphertext, opaque to the server), by attachment id. An upload grows an id's partial
 * bytes, possibly over several connections and server restarts, until {@link Upload#complete} publishes them; only
 * complete attachments can be read. Who may upload, sizes, quotas and expiry are {@link AttachmentSlots}' business.
 *
 * <p>Callers run at most one {@link Upload} per id at a time. Every method may block (disk, network): never call
 * one on a network thread.
 */
public interface AttachmentStore extends AutoCloseable {

  /** What the store holds for one id. */
  enum State {
    ABSENT,
    PARTIAL,
    COMPLETE
  }

  /** @param bytes for PARTIAL the bytes stored durably (where an upload continues), for COMPLETE the size */
  record Stored(State state, long bytes) {
    public static final Stored ABSENT = new Stored(State.ABSENT, 0);
  }

  Stored stat(String id) throws IOException;

  /**
   * Starts the upload of {@code id}, or continues it after the bytes stored durably ({@link Upload#position}).
   *
   * @throws IOException also when the attachment is already complete
   */
  Upload openUpload(String id) throws IOException;

  /**
   * {@code length} bytes of a complete attachment from {@code offset}; the caller checks the range against the size.
   * A channel rather than a stream, so a file's bytes can go straight into a network buffer.
   *
   * @throws java.nio.file.NoSuchFileException when there is no complete attachment with this id
   */
  ReadableByteChannel read(String id, long offset, long length) throws IOException;

  /**
   * What {@link #read} returns when the bytes are a range of a local file: the transport may then hand the file to
   * the kernel ({@code sendfile}) instead of copying it through its own buffers (ADR 0122). Valid until the channel
   * returned by {@link #read} is closed, and only before anything was read from it.
   */
  interface FileRange {
    FileChannel file();

    long offset();

    long length();
  }

  /** Removes the attachment or its partial upload; nothing happens when there is none. */
  void delete(String id) throws IOException;

  /** False when storing {@code bytes} more would leave the store too little room (a full disk fails everyone). */
  boolean hasRoomFor(long bytes);

  @Override
  void close();

  /** One upload in progress: bytes appended in order, made durable on request. Not thread-safe. */
  interface Upload extends Closeable {

    /** Bytes accepted so far: the durable ones when opened, plus every byte written since. */
    long position();

    void write(ByteBuffer bytes) throws IOException;

    /** Makes every byte written so far durable: after a crash the upload continues from {@link #position}. */
    void persist() throws IOException;

    /** Makes the bytes durable and publishes them as the complete attachment; no writes after this. */
    void complete() throws IOException;

    /** Releases the upload. Bytes not {@link #persist persisted} may be lost; persisted ones stay. */
    @Override
    void close() throws IOException;
  }
}
