package org.parley.client.internal.voice;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.voice.UnreadableAudioException;

/**
 * Reads a WAV file (RIFF/WAVE) to send as a voice note: integer PCM of 8, 16, 24 or 32 bits or 32-bit float, plain or
 * WAVE_FORMAT_EXTENSIBLE, any channel count, 8–96 kHz. The channels are averaged while reading, so memory holds one
 * channel of at most {@link VoiceNoteEncoder#MAX_DURATION}.
 */
public final class WavFiles {

  static final int MIN_RATE = 8_000;
  static final int MAX_RATE = 96_000;
  private static final int RIFF = 0x46464952;
  private static final int WAVE = 0x45564157;
  private static final int FMT = 0x20746d66;
  private static final int DATA = 0x61746164;
  private static final int PCM = 1;
  private static final int FLOAT = 3;
  private static final int EXTENSIBLE = 0xFFFE;

  private WavFiles() {}

  /** The file's audio mixed to mono; {@link UnreadableAudioException} says what is wrong with a file that is not. */
  public static PcmAudio readMono(Path file) throws InvalidInputException {
    String name = String.valueOf(file.getFileName());
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
      long fileSize = Files.size(file);
      byte[] header = in.readNBytes(12);
      ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
      if (header.length < 12 || h.getInt(0) != RIFF || h.getInt(8) != WAVE) {
        throw new UnreadableAudioException(name + " is not a WAV file (it does not start with RIFF/WAVE)");
      }
      long position = 12;
      Format format = null;
      while (true) {
        byte[] chunkHeader = in.readNBytes(8);
        if (chunkHeader.length < 8) {
          throw new UnreadableAudioException(name + " is not a usable WAV file: it has no "
              + (format == null ? "\"fmt \"" : "\"data\"") + " chunk");
        }
        ByteBuffer c = ByteBuffer.wrap(chunkHeader).order(ByteOrder.LITTLE_ENDIAN);
        int id = c.getInt(0);
        long size = Integer.toUnsignedLong(c.getInt(4));
        position += 8;
        if (id == FMT) {
          if (size < 16 || size > 1024) {
            throw new UnreadableAudioException(name + ": a \"fmt \" chunk of " + size + " bytes is damaged");
          }
          format = Format.parse(name, readFully(in, (int) size));
        } else if (id == DATA) {
          if (format == null) {
            throw new UnreadableAudioException(name + ": the \"data\" chunk comes before \"fmt \"");
          }
          // Recorders that stream set the size to 0 or 0xFFFFFFFF and never fix it: then the data runs to the end.
          long available = fileSize - position;
          long bytes = size == 0 || size > available ? available : size;
          return format.readMono(name, in, bytes / format.blockAlign);
        } else {
          in.skipNBytes(size + (size & 1));
        }
        position += size + (size & 1);
      }
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("There is no file " + file, e);
    } catch (AccessDeniedException e) {
      throw new InvalidInputException("Cannot read " + file + " (permission denied)", e);
    } catch (EOFException e) {
      throw new UnreadableAudioException(name + " is cut short", e);
    } catch (IOException e) {
      throw new InvalidInputException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readFully(InputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new EOFException();
    }
    if ((length & 1) == 1) {
      in.skipNBytes(1);
    }
    return bytes;
  }

  private record Format(int encoding, int channels, int rate, int bits, int blockAlign) {

    static Format parse(String name, byte[] chunk) throws UnreadableAudioException {
      ByteBuffer b = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
      int encoding = b.getShort(0) & 0xffff;
      int channels = b.getShort(2) & 0xffff;
      int rate = b.getInt(4);
      int blockAlign = b.getShort(12) & 0xffff;
      int bits = b.getShort(14) & 0xffff;
      if (encoding == EXTENSIBLE && chunk.length >= 26) {
        encoding = b.getShort(24) & 0xffff; // the first two bytes of the sub-format GUID are the format code
      }
      boolean integer = encoding == PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32);
      boolean floating = encoding == FLOAT && bits == 32;
      if (!integer && !floating) {
        throw new UnreadableAudioException(name + ": only uncompressed WAV (8/16/24/32-bit PCM or 32-bit float) can"
            + " be sent as a voice note, not format " + encoding + " with " + bits + " bits");
      }
      if (channels < 1 || channels > 255 || blockAlign != channels * bits / 8) {
        throw new UnreadableAudioException(name + ": " + channels + " channels with " + blockAlign
            + "-byte frames is not a valid WAV layout");
      }
      if (rate < MIN_RATE || rate > MAX_RATE) {
        throw new UnreadableAudioException(name + ": a sample rate of " + Integer.toUnsignedString(rate)
            + " Hz is outside the " + MIN_RATE + "–" + MAX_RATE + " Hz a voice note is made from");
      }
      return new Format(encoding, channels, rate, bits, blockAlign);
    }

    PcmAudio readMono(String name, InputStream in, long frames) throws IOException, InvalidInputException {
      long maxFrames = VoiceNoteEncoder.MAX_DURATION.toSeconds() * rate;
      if (frames > maxFrames) {
        throw new InvalidInputException(name + " plays " + frames / rate / 60 + " minutes; a voice note is at most "
            + VoiceNoteEncoder.MAX_DURATION.toMinutes());
      }
      short[] mono = new short[(int) frames];
      byte[] block = new byte[blockAlign * 4096];
      ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
      int done = 0;
      while (done < mono.length) {
        int count = Math.min(4096, mono.length - done);
        int read = in.readNBytes(block, 0, count * blockAlign);
        if (read < count * blockAlign) {
          throw new EOFException();
        }
        for (int f = 0; f < count; f++) {
          double sum = 0;
          for (int ch = 0; ch < channels; ch++) {
            sum += sample(b, f * blockAlign + ch * bits / 8);
          }
          long value = Math.round(sum / channels * 32768.0);
          mono[done + f] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value));
        }
        done += count;
      }
      return new PcmAudio(rate, 1, mono);
    }

    /** One sample as -1.0…1.0. */
    private double sample(ByteBuffer b, int offset) {
      if (encoding == FLOAT) {
        float value = b.getFloat(offset);
        return Float.isFinite(value) ? Math.max(-1.0, Math.min(1.0, value)) : 0.0;
      }
      return switch (bits) {
        case 8 -> ((b.get(offset) & 0xff) - 128) / 128.0; // 8-bit WAV is unsigned
        case 16 -> b.getShort(offset) / 32768.0;
        case 24 -> ((b.get(offset) & 0xff) | (b.get(offset + 1) & 0xff) << 8 | b.get(offset + 2) << 16) / 8388608.0;
        default -> b.getInt(offset) / 2147483648.0;
      };
    }
  }
}
