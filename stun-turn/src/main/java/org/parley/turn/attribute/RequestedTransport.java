package org.parley.turn.attribute;

import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** REQUESTED-TRANSPORT (RFC 8656 section 18.7): an IANA protocol number (17 = UDP) and 24 RFFU bits. */
public record RequestedTransport(int protocol) implements StunAttribute {
  public static final int UDP = 17;
  public static final int TCP = 6;

  public RequestedTransport {
    if (protocol < 0 || protocol > 255) {
      throw new IllegalArgumentException("protocol is 8 bits: " + protocol);
    }
  }

  @Override
  public int type() {
    return AttributeType.REQUESTED_TRANSPORT;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return new byte[] {(byte) protocol, 0, 0, 0};
  }

  static RequestedTransport decode(byte[] buf, int off, int len) throws StunParseException {
    Bytes.requireLength(len, 4, "REQUESTED-TRANSPORT");
    return new RequestedTransport(buf[off] & 0xFF);
  }
}
