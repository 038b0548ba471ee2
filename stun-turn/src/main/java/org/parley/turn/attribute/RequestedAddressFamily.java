package org.parley.turn.attribute;

import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** REQUESTED-ADDRESS-FAMILY (RFC 8656 section 18.6): 0x01 IPv4 or 0x02 IPv6, then 24 RFFU bits. */
public record RequestedAddressFamily(int family) implements StunAttribute {
  public static final int IPV4 = 0x01;
  public static final int IPV6 = 0x02;

  public RequestedAddressFamily {
    if (family < 0 || family > 255) {
      throw new IllegalArgumentException("family is 8 bits: " + family);
    }
  }

  @Override
  public int type() {
    return AttributeType.REQUESTED_ADDRESS_FAMILY;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return new byte[] {(byte) family, 0, 0, 0};
  }

  static RequestedAddressFamily decode(byte[] buf, int off, int len) throws StunParseException {
    Bytes.requireLength(len, 4, "REQUESTED-ADDRESS-FAMILY");
    return new RequestedAddressFamily(buf[off] & 0xFF);
  }
}
