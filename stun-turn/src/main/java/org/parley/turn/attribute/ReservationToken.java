package org.parley.turn.attribute;

import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** RESERVATION-TOKEN (RFC 8656 section 18.9): an 8-byte token naming a relayed port the server holds back. */
public record ReservationToken(long token) implements StunAttribute {
  @Override
  public int type() {
    return AttributeType.RESERVATION_TOKEN;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (token >>> (56 - 8 * i));
    }
    return out;
  }

  static ReservationToken decode(byte[] buf, int off, int len) throws StunParseException {
    Bytes.requireLength(len, 8, "RESERVATION-TOKEN");
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[off + i] & 0xFF);
    }
    return new ReservationToken(v);
  }
}
