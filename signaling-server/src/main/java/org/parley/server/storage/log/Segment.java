package org.parley.server.storage.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One segment file. The counters are the writer thread's alone; readers only use {@link #written}, {@link #deleted}
 * and {@link #read}.
 *
 * <p>Dependencies: segment T depends on an older segment S when T holds a record (an ACK, a purge, or a copy made by
 * compaction) that only means something while S still holds the STORE it refers to. T may be deleted only once
 * every segment it depends on is gone ({@code pending == 0}); S lists its dependents so that deleting S releases
 * them.
 */
final class Segment {

  final int id;
  final Path path;

  /** Bytes in the file (writer thread). */
  long size;
  /** Bytes written and readable; readers ignore records beyond it. */
  volatile long written;
  volatile boolean deleted;

  int live;
  long liveBytes;
  /** Older segments this one still depends on. */
  int pending;
  private int[] dependents = new int[0];
  private int dependentCount;
  /** Set when compaction hit corruption in this segment; it is then left alone. */
  boolean uncompactable;

  /** The append channel while this is the active segment. */
  FileChannel appender;
  private volatile FileChannel reader;

  Segment(int id, Path path) {
    this.id = id;
    this.path = path;
  }

  static String fileName(int id) {
    String digits = Long.toString(id);
    StringBuilder name = new StringBuilder(24);
    for (int i = digits.length(); i < 20; i++) {
      name.append('0');
    }
    return name.append(digits).append(".log").toString();
  }

  /** The segment id of a file name written by {@link #fileName}, or -1. */
  static int parseFileName(String name) {
    if (name.length() != 24 || !name.endsWith(".log")) {
      return -1;
    }
    long id = 0;
    for (int i = 0; i < 20; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      id = id * 10 + (c - '0');
      if (id > Integer.MAX_VALUE) {
        return -1;
      }
    }
    return (int) id;
  }

  /** Records that {@code later} must outlive this segment (consecutive duplicates are folded). */
  void addDependent(Segment later) {
    if (dependentCount > 0 && dependents[dependentCount - 1] == later.id) {
      return;
    }
    if (dependentCount == dependents.length) {
      dependents = Arrays.copyOf(dependents, Math.max(4, dependentCount * 2));
    }
    dependents[dependentCount++] = later.id;
    later.pending++;
  }

  int dependentCount() {
    return dependentCount;
  }

  int dependent(int i) {
    return dependents[i];
  }

  /** Reads {@code dst.remaining()} bytes at {@code position}; throws {@link StaleSegmentException} once deleted. */
  void read(ByteBuffer dst, long position) throws IOException {
    int start = dst.position();
    while (true) {
      FileChannel channel = readChannel();
      try {
        long at = position + (dst.position() - start);
        while (dst.hasRemaining()) {
          int n = channel.read(dst, at);
          if (n < 0) {
            throw new IOException("segment " + path + " ends before offset " + at);
          }
          at += n;
        }
        return;
      } catch (ClosedByInterruptException e) {
        // Another caller's interrupt closed the shared channel; the caller clears its own flag before reading.
        Thread.interrupted();
        reopenIfSame(channel);
      } catch (ClosedChannelException e) {
        reopenIfSame(channel);
      }
    }
  }

  private FileChannel readChannel() throws IOException {
    FileChannel channel = reader;
    if (channel != null && channel.isOpen()) {
      return channel;
    }
    synchronized (this) {
      if (deleted) {
        throw new StaleSegmentException();
      }
      channel = reader;
      if (channel == null || !channel.isOpen()) {
        channel = FileChannel.open(path, StandardOpenOption.READ);
        reader = channel;
      }
      return channel;
    }
  }

  private synchronized void reopenIfSame(FileChannel broken) throws IOException {
    if (deleted) {
      throw new StaleSegmentException();
    }
    if (reader == broken) {
      reader = null;
    }
  }

  /** Marks the segment gone and closes its channels; the caller deletes the file. */
  synchronized void retire() throws IOException {
    deleted = true;
    FileChannel channel = reader;
    reader = null;
    if (channel != null) {
      channel.close();
    }
    if (appender != null) {
      appender.close();
      appender = null;
    }
  }

  /** Thrown to a reader whose segment was deleted (by compaction) under it; the read is retried. */
  static final class StaleSegmentException extends IOException {
    StaleSegmentException() {
      super("segment deleted");
    }
  }

  @Override
  public String toString() {
    return path.getFileName().toString();
  }
}
