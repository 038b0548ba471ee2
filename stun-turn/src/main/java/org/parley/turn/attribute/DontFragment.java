package org.parley.turn.attribute;

import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** DONT-FRAGMENT (RFC 8656 section 18.10): the client asks that relayed UDP datagrams carry the DF bit. No value. */
public record DontFragment() implements StunAttribute {
  @Override
  public int type() {
    return AttributeType.DONT_FRAGMENT;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return new byte[0];
  }

  static DontFragment decode(int len) throws StunParseException {
    Bytes.requireLength(len, 0, "DONT-FRAGMENT");
    return new DontFragment();
  }
}
