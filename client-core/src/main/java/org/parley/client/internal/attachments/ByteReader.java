package org.parley.client.internal.attachments;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Big-endian reads from a stream through one buffer (BufferedInputStream's per-byte lock is slow for scanning). */
final class ByteReader {

  private final InputStream in;
  private final byte[] buffer = new byte[64 * 1024];
  private int position;
  private int limit;
  private final String what;

  ByteReader(InputStream in, String what) {
    this.in = in;
    this.what = what;
  }

  /** The next byte, or -1 at the end. */
  int read() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position++] & 0xff;
  }

  /** The next byte; the end of the stream here means the file is cut short. */
  int u8() throws IOException {
    int b = read();
    if (b < 0) {
      throw new EOFException(what + " ends in the middle of its structure (truncated)");
    }
    return b;
  }

  int u16() throws IOException {
    return u8() << 8 | u8();
  }

  long u32() throws IOException {
    return (long) u16() << 16 | u16();
  }

  byte[] bytes(int count) throws IOException {
    byte[] bytes = new byte[count];
    int done = 0;
    while (done < count) {
      if (position == limit && !fill()) {
        throw new EOFException(what + " ends in the middle of its structure (truncated)");
      }
      int step = Math.min(count - done, limit - position);
      System.arraycopy(buffer, position, bytes, done, step);
      position += step;
      done += step;
    }
    return bytes;
  }

  /** Copies {@code count} bytes to {@code out} (null: skips them). */
  void copy(long count, OutputStream out) throws IOException {
    while (count > 0) {
      if (position == limit && !fill()) {
        throw new EOFException(what + " ends in the middle of its structure (truncated)");
      }
      int step = (int) Math.min(count, limit - position);
      if (out != null) {
        out.write(buffer, position, step);
      }
      position += step;
      count -= step;
    }
  }

  /**
   * Copies bytes up to (not including) the next 0xFF to {@code out}, and returns whether one follows. Lets a
   * scanner move through compressed data in runs instead of byte by byte.
   */
  boolean copyUntilFf(OutputStream out) throws IOException {
    while (true) {
      if (position == limit && !fill()) {
        return false;
      }
      int start = position;
      while (position < limit && buffer[position] != (byte) 0xff) {
        position++;
      }
      out.write(buffer, start, position - start);
      if (position < limit) {
        return true;
      }
    }
  }

  private boolean fill() throws IOException {
    int read = in.read(buffer, 0, buffer.length);
    if (read <= 0) {
      return false;
    }
    position = 0;
    limit = read;
    return true;
  }
}
