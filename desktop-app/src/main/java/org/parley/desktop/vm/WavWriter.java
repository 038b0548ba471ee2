package org.parley.desktop.vm;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Streams mono 16-bit PCM into a WAV file; the sizes in the header are written on {@link #close}. */
final class WavWriter implements AutoCloseable {

  private static final int HEADER = 44;

  private final Path file;
  private final int sampleRate;
  private final OutputStream out;
  private final byte[] bytes = new byte[8192];
  private long samples;
  private boolean closed;

  WavWriter(Path file, int sampleRate) throws IOException {
    this.file = file;
    this.sampleRate = sampleRate;
    this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    out.write(header(0));
  }

  void write(short[] pcm, int count) throws IOException {
    int i = 0;
    while (i < count) {
      int n = Math.min(count - i, bytes.length / 2);
      for (int k = 0; k < n; k++) {
        short s = pcm[i + k];
        bytes[2 * k] = (byte) s;
        bytes[2 * k + 1] = (byte) (s >> 8);
      }
      out.write(bytes, 0, 2 * n);
      i += n;
    }
    samples += count;
  }

  long samples() {
    return samples;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    out.close();
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(header(samples * 2));
    }
  }

  private byte[] header(long dataBytes) {
    ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
    h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes))
        .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) dataBytes);
    return h.array();
  }
}
