package org.parley.server.storage.local;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;
import org.parley.server.storage.AttachmentStore;

/**
 * Attachments as files under one directory (the default, in the server's data directory): an upload grows
 * {@code partial/<id>}; completing it fsyncs the file, renames it atomically to {@code complete/<id>} and fsyncs the
 * directory, so a completed attachment is never half there. Partial files survive a restart; the upload continues
 * at their length.
 */
public final class LocalAttachmentStore implements AttachmentStore {

  /** Ids become file names: nothing that could leave the directory. */
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Path root;
  private final Path partial;
  private final Path complete;
  private final long minFreeBytes;

  /** @param minFreeBytes reservations that would leave less free space than this on the disk are refused */
  public LocalAttachmentStore(Path root, long minFreeBytes) {
    this.root = root;
    this.partial = root.resolve("partial");
    this.complete = root.resolve("complete");
    this.minFreeBytes = minFreeBytes;
    try {
      Files.createDirectories(partial);
      Files.createDirectories(complete);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the attachment directories under " + root, e);
    }
  }

  @Override
  public Stored stat(String id) throws IOException {
    Path done = complete.resolve(checked(id));
    if (Files.exists(done)) {
      return new Stored(State.COMPLETE, Files.size(done));
    }
    Path part = partial.resolve(id);
    try {
      return new Stored(State.PARTIAL, Files.size(part));
    } catch (NoSuchFileException e) {
      return Stored.ABSENT;
    }
  }

  @Override
  public Upload openUpload(String id) throws IOException {
    if (Files.exists(complete.resolve(checked(id)))) {
      throw new FileAlreadyExistsException(id, null, "the attachment is already complete");
    }
    Path file = partial.resolve(id);
    boolean created = !Files.exists(file);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    channel.position(channel.size());
    return new FileUpload(id, file, channel, created);
  }

  @Override
  public ReadableByteChannel read(String id, long offset, long length) throws IOException {
    FileChannel channel = FileChannel.open(complete.resolve(checked(id)), StandardOpenOption.READ);
    return new RangeChannel(channel, offset, length);
  }

  @Override
  public void delete(String id) throws IOException {
    Files.deleteIfExists(complete.resolve(checked(id)));
    Files.deleteIfExists(partial.resolve(id));
  }

  @Override
  public boolean hasRoomFor(long bytes) {
    try {
      return Files.getFileStore(root).getUsableSpace() - bytes >= minFreeBytes;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    // nothing held between calls
  }

  private static String checked(String id) {
    if (!SAFE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("not an attachment id: " + id);
    }
    return id;
  }

  /** Makes a directory entry (a new or renamed file) durable. */
  private static void syncDirectory(Path directory) throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private final class FileUpload implements Upload {
    private final String id;
    private final Path file;
    private final FileChannel channel;
    private boolean newFile;
    private boolean open = true;

    FileUpload(String id, Path file, FileChannel channel, boolean newFile) {
      this.id = id;
      this.file = file;
      this.channel = channel;
      this.newFile = newFile;
    }

    @Override
    public long position() {
      try {
        return channel.position();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }

    @Override
    public void persist() throws IOException {
      channel.force(false);
      if (newFile) {
        syncDirectory(partial);
        newFile = false;
      }
    }

    @Override
    public void complete() throws IOException {
      channel.force(false);
      close();
      Files.move(file, complete.resolve(id), StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(complete);
      syncDirectory(partial);
    }

    @Override
    public void close() throws IOException {
      if (open) {
        open = false;
        channel.close();
      }
    }
  }

  /** {@code length} bytes from {@code offset} by positional reads, so the channel's position is never shared. */
  private static final class RangeChannel implements ReadableByteChannel, AttachmentStore.FileRange {
    private final FileChannel channel;
    private long position;
    private long remaining;

    RangeChannel(FileChannel channel, long offset, long length) {
      this.channel = channel;
      this.position = offset;
      this.remaining = length;
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      ByteBuffer window = target;
      if (target.remaining() > remaining) {
        window = target.slice();
        window.limit((int) remaining);
      }
      int n = channel.read(window, position);
      if (n < 0) {
        throw new EOFException("attachment file ended " + remaining + " bytes early");
      }
      if (window != target) {
        target.position(target.position() + n);
      }
      position += n;
      remaining -= n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public FileChannel file() {
      return channel;
    }

    @Override
    public long offset() {
      return position;
    }

    @Override
    public long length() {
      return remaining;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
