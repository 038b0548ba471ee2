package org.parley.turn.attribute;

import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** USE-CANDIDATE (RFC 8445 section 7.1.2): ICE nomination flag. No value. */
public record UseCandidate() implements StunAttribute {
  @Override
  public int type() {
    return AttributeType.USE_CANDIDATE;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return new byte[0];
  }

  static UseCandidate decode(int len) throws StunParseException {
    Bytes.requireLength(len, 0, "USE-CANDIDATE");
    return new UseCandidate();
  }
}
