package org.parley.client.internal.voice;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.parley.client.api.voice.UnreadableAudioException;

/**
 * The comment header of an Ogg Opus stream (RFC 7845 section 5.2): the encoder's vendor string and
 * "NAME=value" comments, all UTF-8, lengths little-endian.
 */
record OpusTags(String vendor, List<String> comments) {

  static final String MAGIC = "OpusTags";

  OpusTags {
    comments = List.copyOf(comments);
  }

  byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(MAGIC.getBytes(StandardCharsets.US_ASCII));
    writeString(out, vendor);
    out.writeBytes(littleEndian(comments.size()));
    for (String comment : comments) {
      writeString(out, comment);
    }
    return out.toByteArray();
  }

  static OpusTags parse(byte[] packet) throws UnreadableAudioException {
    byte[] magic = MAGIC.getBytes(StandardCharsets.US_ASCII);
    if (packet.length < magic.length || !Arrays.equals(packet, 0, magic.length, magic, 0, magic.length)) {
      throw new UnreadableAudioException("Not an Ogg Opus file: the second packet is not OpusTags");
    }
    ByteBuffer b = ByteBuffer.wrap(packet).order(ByteOrder.LITTLE_ENDIAN);
    b.position(magic.length);
    String vendor = readString(b);
    long count = readLength(b);
    List<String> comments = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      comments.add(readString(b));
    }
    return new OpusTags(vendor, comments);
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(littleEndian(utf8.length));
    out.writeBytes(utf8);
  }

  private static byte[] littleEndian(int value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
  }

  private static long readLength(ByteBuffer b) throws UnreadableAudioException {
    if (b.remaining() < 4) {
      throw new UnreadableAudioException("The OpusTags header is cut short");
    }
    return b.getInt() & 0xffffffffL;
  }

  private static String readString(ByteBuffer b) throws UnreadableAudioException {
    long length = readLength(b);
    if (length > b.remaining()) {
      throw new UnreadableAudioException("The OpusTags header is damaged: a string of " + length
          + " bytes where " + b.remaining() + " are left");
    }
    byte[] utf8 = new byte[(int) length];
    b.get(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }
}
