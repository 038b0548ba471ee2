package org.parley.client.internal.calls;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * YUV4MPEG2 ("y4m"), the raw video format ffmpeg and most tools read: a header line
 * {@code YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg}, then per frame a line starting {@code FRAME} and the Y, U and V
 * planes without padding. Only 4:2:0 is read and written (C420, C420jpeg, C420mpeg2, C420paldv differ only in chroma
 * siting; no C tag means 4:2:0 too).
 */
public final class Y4m {

  /** Largest width or height read: bigger is not a video we would send (and bounds the buffers we allocate). */
  static final int MAX_SIDE = 8192;
  private static final int MAX_LINE = 1024;
  private static final String MAGIC = "YUV4MPEG2";

  private Y4m() {}

  /** The stream's parameters; {@code fpsNum/fpsDen} frames per second. */
  public record Header(int width, int height, int fpsNum, int fpsDen) {
    public int chromaWidth() {
      return (width + 1) / 2;
    }

    public int chromaHeight() {
      return (height + 1) / 2;
    }

    public int frameBytes() {
      return width * height + 2 * chromaWidth() * chromaHeight();
    }

    public double fps() {
      return (double) fpsNum / fpsDen;
    }
  }

  /** Reads frames one at a time; {@link #rewind()} starts over (a looping source). */
  public static final class Reader implements Closeable {
    private final Path file;
    private final Header header;
    private InputStream in;
    private final byte[] frame;

    public Reader(Path file) throws IOException {
      this.file = file;
      this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      try {
        this.header = parseHeader(readLine(in, "the header"));
      } catch (IOException e) {
        in.close();
        throw e;
      }
      this.frame = new byte[header.frameBytes()];
    }

    public Header header() {
      return header;
    }

    /** The next frame, packed (Y, U, V), or null at the end of the file. The array is reused by the next call. */
    public byte[] next() throws IOException {
      int first = in.read();
      if (first < 0) {
        return null;
      }
      String line = (char) first + readLine(in, "a frame header");
      if (!line.equals("FRAME") && !line.startsWith("FRAME ")) {
        throw new IOException(file + ": expected FRAME, found '" + shorten(line) + "'");
      }
      int at = 0;
      while (at < frame.length) {
        int n = in.read(frame, at, frame.length - at);
        if (n < 0) {
          throw new EOFException(file + ": the last frame is cut short (" + at + " of " + frame.length + " bytes)");
        }
        at += n;
      }
      return frame;
    }

    public void rewind() throws IOException {
      in.close();
      in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      readLine(in, "the header");
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Writes frames of one size; {@link #close()} flushes. */
  public static final class Writer implements Closeable {
    private static final byte[] FRAME = "FRAME\n".getBytes(StandardCharsets.US_ASCII);
    private final Header header;
    private final OutputStream out;
    private long frames;

    public Writer(Path file, Header header) throws IOException {
      this.header = header;
      this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 18);
      out.write((MAGIC + " W" + header.width() + " H" + header.height() + " F" + header.fpsNum() + ":"
          + header.fpsDen() + " Ip A1:1 C420jpeg\n").getBytes(StandardCharsets.US_ASCII));
    }

    public Header header() {
      return header;
    }

    /** One frame, packed (Y, U, V) as {@link Header#frameBytes()} bytes. */
    public void write(byte[] packed) throws IOException {
      if (packed.length != header.frameBytes()) {
        throw new IllegalArgumentException("A " + header.width() + "x" + header.height() + " frame has "
            + header.frameBytes() + " bytes, not " + packed.length);
      }
      out.write(FRAME);
      out.write(packed);
      frames++;
    }

    public long frames() {
      return frames;
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  static Header parseHeader(String line) throws IOException {
    String[] parts = line.split(" ");
    if (!parts[0].equals(MAGIC)) {
      throw new IOException("Not a y4m file: it starts with '" + shorten(line) + "', not " + MAGIC);
    }
    int width = -1;
    int height = -1;
    int num = 30;
    int den = 1;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty()) {
        continue;
      }
      String value = p.substring(1);
      switch (p.charAt(0)) {
        case 'W' -> width = number(value, "width");
        case 'H' -> height = number(value, "height");
        case 'F' -> {
          String[] ratio = value.split(":");
          if (ratio.length != 2) {
            throw new IOException("y4m frame rate '" + value + "' is not N:D");
          }
          num = number(ratio[0], "frame rate");
          den = number(ratio[1], "frame rate");
        }
        case 'C' -> {
          if (!value.startsWith("420")) {
            throw new IOException("y4m colour space C" + value + " is not supported (only 4:2:0, e.g. C420jpeg)");
          }
        }
        default -> { } // interlacing, aspect, comments (X): nothing to do for us
      }
    }
    if (width < 0 || height < 0) {
      throw new IOException("The y4m header has no " + (width < 0 ? "width (W)" : "height (H)"));
    }
    if (width < 2 || height < 2 || width > MAX_SIDE || height > MAX_SIDE) {
      throw new IOException("y4m size " + width + "x" + height + " is out of range (2-" + MAX_SIDE + ")");
    }
    if (num < 1 || den < 1) {
      throw new IOException("y4m frame rate " + num + ":" + den + " must be positive");
    }
    return new Header(width, height, num, den);
  }

  private static int number(String s, String what) throws IOException {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IOException("y4m " + what + " '" + shorten(s) + "' is not a number");
    }
  }

  private static String readLine(InputStream in, String what) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        String start = line.substring(0, Math.min(line.length(), MAGIC.length()));
        if (what.equals("the header") && !MAGIC.startsWith(start)) {
          throw new IOException("Not a y4m file: it starts with '" + shorten(line.toString()) + "', not " + MAGIC);
        }
        throw new EOFException("y4m file ends inside " + what);
      }
      if (c == '\n') {
        return line.toString();
      }
      if (line.length() >= MAX_LINE) {
        throw new IOException("y4m: " + what + " is longer than " + MAX_LINE + " bytes");
      }
      line.append((char) c);
    }
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  /** Copies a packed frame's planes into strided planes (an I420 buffer libwebrtc allocated). */
  static void unpack(byte[] packed, Header h, ByteBuffer y, int strideY, ByteBuffer u, int strideU, ByteBuffer v,
      int strideV) {
    int at = 0;
    for (int r = 0; r < h.height(); r++, at += h.width()) {
      y.put(r * strideY, packed, at, h.width());
    }
    int cw = h.chromaWidth();
    for (int r = 0; r < h.chromaHeight(); r++, at += cw) {
      u.put(r * strideU, packed, at, cw);
    }
    for (int r = 0; r < h.chromaHeight(); r++, at += cw) {
      v.put(r * strideV, packed, at, cw);
    }
  }
}
