package org.parley.turn.message;

import java.util.ArrayList;
import java.util.List;
import org.parley.turn.attribute.AttributeType;
import org.parley.turn.attribute.StunAttribute;

/** Writes a {@link StunMessage} in the wire format of RFC 8489 section 5, computing integrity and fingerprint. */
public final class StunEncoder {
  private StunEncoder() {}

  public static byte[] encode(StunMessage message) {
    return encode(message, Protection.none());
  }

  public static byte[] encode(StunMessage message, Protection protection) {
    TransactionId tid = message.transactionId();
    List<byte[]> values = new ArrayList<>(message.attributes().size());
    int length = 0;
    for (StunAttribute a : message.attributes()) {
      byte[] v = a.encodeValue(tid);
      if (v.length > 0xFFFF) {
        throw new IllegalArgumentException("attribute value too long: " + v.length);
      }
      values.add(v);
      length += 4 + padded(v.length);
    }
    int total = StunMessage.HEADER_LENGTH + length
        + (protection.integritySha1() ? 24 : 0)
        + (protection.integritySha256() ? 36 : 0)
        + (protection.fingerprint() ? 8 : 0);
    if (total - StunMessage.HEADER_LENGTH > 0xFFFF) {
      throw new IllegalArgumentException("message too long: " + total);
    }
    byte[] out = new byte[total];
    int typeBits = message.type().toBits();
    out[0] = (byte) (typeBits >> 8);
    out[1] = (byte) typeBits;
    putU32(out, 4, StunMessage.MAGIC_COOKIE);
    for (int i = 0; i < TransactionId.LENGTH; i++) {
      out[8 + i] = tid.get(i);
    }
    int pos = StunMessage.HEADER_LENGTH;
    for (int i = 0; i < values.size(); i++) {
      pos = putAttribute(out, pos, message.attributes().get(i).type(), values.get(i), protection.paddingByte());
    }
    byte[] key = protection.key();
    if (protection.integritySha1()) {
      setLength(out, pos + 24);
      byte[] mac = Crypto.hmacSha1(key, out, 0, pos);
      pos = putAttribute(out, pos, AttributeType.MESSAGE_INTEGRITY, mac, (byte) 0);
    }
    if (protection.integritySha256()) {
      setLength(out, pos + 36);
      byte[] mac = Crypto.hmacSha256(key, out, 0, pos);
      pos = putAttribute(out, pos, AttributeType.MESSAGE_INTEGRITY_SHA256, mac, (byte) 0);
    }
    if (protection.fingerprint()) {
      setLength(out, pos + 8);
      int crc = Crypto.fingerprint(out, 0, pos);
      out[pos] = (byte) (AttributeType.FINGERPRINT >> 8);
      out[pos + 1] = (byte) AttributeType.FINGERPRINT;
      out[pos + 3] = 4;
      putU32(out, pos + 4, crc);
      pos += 8;
    }
    setLength(out, pos);
    return out;
  }

  static int padded(int n) {
    return (n + 3) & ~3;
  }

  private static int putAttribute(byte[] out, int pos, int type, byte[] value, byte pad) {
    out[pos] = (byte) (type >> 8);
    out[pos + 1] = (byte) type;
    out[pos + 2] = (byte) (value.length >> 8);
    out[pos + 3] = (byte) value.length;
    System.arraycopy(value, 0, out, pos + 4, value.length);
    int end = pos + 4 + padded(value.length);
    for (int i = pos + 4 + value.length; i < end; i++) {
      out[i] = pad;
    }
    return end;
  }

  private static void setLength(byte[] out, int endOfMessage) {
    int len = endOfMessage - StunMessage.HEADER_LENGTH;
    out[2] = (byte) (len >> 8);
    out[3] = (byte) len;
  }

  private static void putU32(byte[] out, int pos, int v) {
    out[pos] = (byte) (v >>> 24);
    out[pos + 1] = (byte) (v >>> 16);
    out[pos + 2] = (byte) (v >>> 8);
    out[pos + 3] = (byte) v;
  }
}
