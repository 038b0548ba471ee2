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
    return Bytes.ofU64(token);
  }

  static ReservationToken decode(byte[] buf, int off, int len) throws StunParseException {
    Bytes.requireLength(len, 8, "RESERVATION-TOKEN");
    return new ReservationToken(Bytes.u64(buf, off));
  }
}
