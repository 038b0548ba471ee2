package org.parley.turn.attribute;

import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/**
 * EVEN-PORT (RFC 8656 section 18.8): one byte whose top bit R asks the server to also reserve the next higher port;
 * the other 7 bits are RFFU.
 */
public record EvenPort(boolean reserveNext) implements StunAttribute {
  @Override
  public int type() {
    return AttributeType.EVEN_PORT;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return new byte[] {(byte) (reserveNext ? 0x80 : 0)};
  }

  static EvenPort decode(byte[] buf, int off, int len) throws StunParseException {
    Bytes.requireLength(len, 1, "EVEN-PORT");
    return new EvenPort((buf[off] & 0x80) != 0);
  }
}
