package org.parley.client.internal.voice;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.parley.client.api.voice.UnreadableAudioException;

/** Reads Ogg pages one after another from a whole file, checking each page's structure and checksum. */
final class OggPageReader {

  private final byte[] file;
  private int position;
  private int pagesRead;

  OggPageReader(byte[] file) throws UnreadableAudioException {
    this.file = file;
    if (file.length == 0) {
      throw new UnreadableAudioException("The file is empty");
    }
    if (!startsWith(0, "OggS")) {
      throw new UnreadableAudioException("Not an Ogg file" + whatItIs());
    }
  }

  boolean hasMore() {
    return position < file.length;
  }

  OggPage next() throws UnreadableAudioException {
    int start = position;
    int page = pagesRead + 1;
    if (file.length - start < OggPage.HEADER_SIZE) {
      throw cutShort(page);
    }
    if (!startsWith(start, "OggS")) {
      throw new UnreadableAudioException("The file is damaged: page " + page + " does not start with \"OggS\"");
    }
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int version = file[start + 4] & 0xff;
    if (version != 0) {
      throw new UnreadableAudioException("Unsupported Ogg version " + version + " on page " + page);
    }
    int flags = file[start + 5] & 0xff;
    long granule = b.getLong(start + 6);
    int serial = b.getInt(start + 14);
    int sequence = b.getInt(start + 18);
    int storedCrc = b.getInt(start + 22);
    int segments = file[start + 26] & 0xff;
    int lacingStart = start + OggPage.HEADER_SIZE;
    if (file.length - lacingStart < segments) {
      throw cutShort(page);
    }
    byte[] lacing = new byte[segments];
    System.arraycopy(file, lacingStart, lacing, 0, segments);
    int bodyLength = 0;
    for (byte l : lacing) {
      bodyLength += l & 0xff;
    }
    int bodyStart = lacingStart + segments;
    if (file.length - bodyStart < bodyLength) {
      throw cutShort(page);
    }
    byte[] body = new byte[bodyLength];
    System.arraycopy(file, bodyStart, body, 0, bodyLength);
    int end = bodyStart + bodyLength;
    byte[] copy = new byte[end - start];
    System.arraycopy(file, start, copy, 0, copy.length);
    copy[22] = copy[23] = copy[24] = copy[25] = 0;
    if (OggCrc.of(copy, 0, copy.length) != storedCrc) {
      throw new UnreadableAudioException("The file is damaged: the checksum of page " + page + " does not match");
    }
    position = end;
    pagesRead++;
    return new OggPage(flags, granule, serial, sequence, lacing, body);
  }

  private UnreadableAudioException cutShort(int page) {
    return new UnreadableAudioException("The file is cut short: page " + page + " is incomplete ("
        + file.length + " bytes in all)");
  }

  private boolean startsWith(int offset, String magic) {
    byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
    if (file.length - offset < m.length) {
      return false;
    }
    for (int i = 0; i < m.length; i++) {
      if (file[offset + i] != m[i]) {
        return false;
      }
    }
    return true;
  }

  /** A hint for files people pick by mistake. */
  private String whatItIs() {
    if (startsWith(0, "RIFF") && startsWith(8, "WAVE")) {
      return ": it is a WAV file (a voice note is Ogg Opus)";
    }
    if (startsWith(0, "ID3") || (file.length > 1 && (file[0] & 0xff) == 0xff && (file[1] & 0xe0) == 0xe0)) {
      return ": it looks like MP3 (a voice note is Ogg Opus)";
    }
    if (startsWith(0, "fLaC")) {
      return ": it is a FLAC file (a voice note is Ogg Opus)";
    }
    return " (it does not start with \"OggS\")";
  }
}
