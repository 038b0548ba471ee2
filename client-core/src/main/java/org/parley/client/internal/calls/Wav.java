package org.parley.client.internal.calls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** 16-bit PCM WAV files (RIFF/WAVE with a "fmt " chunk of format 1), read whole and written whole. */
public final class Wav {

  /** Samples, interleaved when {@code channels} is 2. */
  public record Pcm(int sampleRate, int channels, short[] samples) {
    public int frames() {
      return samples.length / channels;
    }
  }

  private Wav() {}

  public static Pcm read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
      throw new IOException(file + " is not a WAV file (no RIFF/WAVE header)");
    }
    int pos = 12;
    int format = -1;
    int channels = 0;
    int rate = 0;
    int bits = 0;
    while (pos + 8 <= bytes.length) {
      int id = b.getInt(pos);
      int size = b.getInt(pos + 4);
      int body = pos + 8;
      if (size < 0 || body + (long) size > bytes.length) {
        size = bytes.length - body; // a truncated last chunk: take what is there
      }
      if (id == 0x20746d66) { // "fmt "
        format = b.getShort(body) & 0xffff;
        channels = b.getShort(body + 2) & 0xffff;
        rate = b.getInt(body + 4);
        bits = b.getShort(body + 14) & 0xffff;
      } else if (id == 0x61746164) { // "data"
        if (format != 1 || bits != 16 || channels < 1 || channels > 2) {
          throw new IOException(file + ": only 16-bit PCM mono or stereo WAV is supported (format " + format
              + ", " + bits + " bits, " + channels + " channels)");
        }
        if (rate < 8000 || rate > 48000) {
          throw new IOException(file + ": sample rate " + rate + " Hz is outside 8000–48000");
        }
        short[] samples = new short[size / 2 / channels * channels];
        for (int i = 0; i < samples.length; i++) {
          samples[i] = b.getShort(body + 2 * i);
        }
        return new Pcm(rate, channels, samples);
      }
      pos = body + size + (size & 1);
    }
    throw new IOException(file + ": no fmt/data chunk");
  }

  public static void write(Path file, Pcm pcm) throws IOException {
    int dataBytes = pcm.samples().length * 2;
    ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46464952).putInt(36 + dataBytes).putInt(0x45564157);
    b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) pcm.channels()).putInt(pcm.sampleRate())
        .putInt(pcm.sampleRate() * pcm.channels() * 2).putShort((short) (pcm.channels() * 2)).putShort((short) 16);
    b.putInt(0x61746164).putInt(dataBytes);
    for (short s : pcm.samples()) {
      b.putShort(s);
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, b.array());
  }
}
