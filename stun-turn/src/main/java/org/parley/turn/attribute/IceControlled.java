package org.parley.turn.attribute;

import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** ICE-CONTROLLED (RFC 8445 section 7.1.3): the agent's 64-bit tie-breaker. */
public record IceControlled(long tieBreaker) implements StunAttribute {
  @Override
  public int type() {
    return AttributeType.ICE_CONTROLLED;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (tieBreaker >>> (56 - 8 * i));
    }
    return out;
  }

  static IceControlled decode(byte[] buf, int off, int len) throws StunParseException {
    Bytes.requireLength(len, 8, "ICE-CONTROLLED");
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[off + i] & 0xFF);
    }
    return new IceControlled(v);
  }
}
