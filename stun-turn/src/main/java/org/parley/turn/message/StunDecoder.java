package org.parley.turn.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.parley.turn.attribute.AttributeDecoder;
import org.parley.turn.attribute.AttributeType;
import org.parley.turn.attribute.StunAttribute;

/**
 * Parses the wire format of RFC 8489 sections 5 and 14, strictly: anything malformed is a
 * {@link StunParseException}.
 */
public final class StunDecoder {
  private StunDecoder() {}

  /**
   * A cheap test that the bytes start like a STUN message: two zero bits, the magic cookie, a length that is a
   * multiple of 4 (RFC 8489 section 5). ChannelData starts with 0b01 (RFC 8656 section 12.4) and fails this test.
   */
  public static boolean looksLikeStun(byte[] buf, int off, int len) {
    return len >= StunMessage.HEADER_LENGTH
        && (buf[off] & 0xC0) == 0
        && (buf[off + 3] & 0x03) == 0
        && readU32(buf, off + 4) == StunMessage.MAGIC_COOKIE;
  }

  public static StunMessage decode(byte[] buf) throws StunParseException {
    return decode(buf, 0, buf.length);
  }

  /** Decodes exactly {@code len} bytes: one whole message, as a UDP datagram or one TCP frame carries it. */
  public static StunMessage decode(byte[] buf, int off, int len) throws StunParseException {
    if (len < StunMessage.HEADER_LENGTH) {
      throw new StunParseException("shorter than a STUN header: " + len + " bytes");
    }
    if ((buf[off] & 0xC0) != 0) {
      throw new StunParseException("the two most significant bits are not zero");
    }
    if (readU32(buf, off + 4) != StunMessage.MAGIC_COOKIE) {
      throw new StunParseException("no magic cookie");
    }
    int messageLength = ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
    if (messageLength % 4 != 0) {
      throw new StunParseException("message length not a multiple of 4: " + messageLength);
    }
    if (messageLength + StunMessage.HEADER_LENGTH != len) {
      throw new StunParseException("message length " + messageLength + " does not match " + len + " bytes received");
    }
    byte[] raw = Arrays.copyOfRange(buf, off, off + len);
    MessageType type = MessageType.fromBits(((raw[0] & 0xFF) << 8) | (raw[1] & 0xFF));
    TransactionId tid = TransactionId.of(raw, 8);

    List<StunAttribute> attributes = new ArrayList<>();
    int[] offsets = new int[messageLength / 4];
    int pos = StunMessage.HEADER_LENGTH;
    boolean sawIntegrity = false;
    boolean sawIntegritySha256 = false;
    boolean sawFingerprint = false;
    while (pos < len) {
      if (pos + 4 > len) {
        throw new StunParseException("truncated attribute header at " + pos);
      }
      int attrType = ((raw[pos] & 0xFF) << 8) | (raw[pos + 1] & 0xFF);
      int attrLength = ((raw[pos + 2] & 0xFF) << 8) | (raw[pos + 3] & 0xFF);
      int next = pos + 4 + ((attrLength + 3) & ~3);
      if (next > len) {
        throw new StunParseException("attribute 0x" + Integer.toHexString(attrType) + " overruns the message");
      }
      if (sawFingerprint) {
        throw new StunParseException("attribute after FINGERPRINT");
      }
      // RFC 8489 section 14.5/14.6: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count;
      // anything else there is ignored.
      boolean ignored = (sawIntegrity || sawIntegritySha256)
          && attrType != AttributeType.FINGERPRINT
          && !(attrType == AttributeType.MESSAGE_INTEGRITY_SHA256 && !sawIntegritySha256);
      if (!ignored) {
        offsets[attributes.size()] = pos;
        attributes.add(AttributeDecoder.decode(attrType, raw, pos + 4, attrLength, tid));
        sawIntegrity |= attrType == AttributeType.MESSAGE_INTEGRITY;
        sawIntegritySha256 |= attrType == AttributeType.MESSAGE_INTEGRITY_SHA256;
        sawFingerprint |= attrType == AttributeType.FINGERPRINT;
      }
      pos = next;
    }
    return new StunMessage(type, tid, attributes, raw, Arrays.copyOf(offsets, attributes.size()));
  }

  private static int readU32(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }
}
