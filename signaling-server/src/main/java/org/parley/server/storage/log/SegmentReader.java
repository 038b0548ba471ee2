package org.parley.server.storage.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads a segment file record by record, checking each record's length and CRC. Stops at the end of the file or at
 * the first record that is torn or corrupt; then {@link #problem()} says why and {@link #validEnd()} is where the
 * good part of the file ends.
 */
final class SegmentReader implements Closeable {

  private final FileChannel channel;
  private final CRC32C crc = new CRC32C();
  private byte[] bytes = new byte[1 << 20];
  private ByteBuffer view = Records.le(bytes);
  /** Unread data is bytes[lo, hi); bytes[lo] is at file offset {@code filePos}. */
  private int lo;
  private int hi;
  private long filePos;
  private boolean eof;
  private int pendingSkip;
  private String problem;

  private int recordStart;
  private int recordLength;
  private long recordOffset;

  SegmentReader(Path file) throws IOException {
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
  }

  /** Moves to the next record; false at the end of the good data. */
  boolean next() throws IOException {
    lo += pendingSkip;
    filePos += pendingSkip;
    pendingSkip = 0;
    if (problem != null) {
      return false;
    }
    if (!fill(Records.HEADER_BYTES)) {
      if (hi > lo) {
        problem = "torn record header (" + (hi - lo) + " bytes)";
      }
      return false;
    }
    int bodyLength = view.getInt(lo);
    if (bodyLength < 1 || bodyLength > Records.MAX_BODY) {
      problem = "impossible record length " + bodyLength;
      return false;
    }
    int length = Records.HEADER_BYTES + bodyLength;
    if (!fill(length)) {
      problem = "torn record: " + (hi - lo) + " of " + length + " bytes present";
      return false;
    }
    if (!Records.crcMatches(bytes, lo, length, crc)) {
      problem = "CRC mismatch in a record of " + length + " bytes";
      return false;
    }
    byte type = bytes[lo + 8];
    if (type < Records.HEADER || type > Records.PURGE_EXPIRED) {
      problem = "unknown record type " + type;
      return false;
    }
    recordStart = lo;
    recordLength = length;
    recordOffset = filePos;
    pendingSkip = length;
    return true;
  }

  private boolean fill(int needed) throws IOException {
    if (hi - lo >= needed) {
      return true;
    }
    if (lo > 0) {
      System.arraycopy(bytes, lo, bytes, 0, hi - lo);
      hi -= lo;
      lo = 0;
    }
    if (needed > bytes.length) {
      byte[] bigger = new byte[Math.max(needed, bytes.length * 2)];
      System.arraycopy(bytes, 0, bigger, 0, hi);
      bytes = bigger;
      view = Records.le(bytes);
    }
    while (hi < needed && !eof) {
      ByteBuffer target = ByteBuffer.wrap(bytes, hi, bytes.length - hi);
      int n = channel.read(target, filePos + hi);
      if (n < 0) {
        eof = true;
      } else {
        hi += n;
      }
    }
    return hi - lo >= needed;
  }

  /** The buffer holding the current record (little-endian, heap-backed); the record starts at {@link #start()}. */
  ByteBuffer buffer() {
    return view;
  }

  byte[] array() {
    return bytes;
  }

  int start() {
    return recordStart;
  }

  int length() {
    return recordLength;
  }

  byte type() {
    return bytes[recordStart + 8];
  }

  /** File offset of the current record. */
  long offset() {
    return recordOffset;
  }

  /** Where the good data ends: after the last record returned once {@link #next()} has said false. */
  long validEnd() {
    return filePos + pendingSkip;
  }

  /** Why reading stopped before the end of the file, or null. */
  String problem() {
    return problem;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
