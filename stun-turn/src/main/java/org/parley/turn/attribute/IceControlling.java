package org.parley.turn.attribute;

import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** ICE-CONTROLLING (RFC 8445 section 7.1.3): the agent's 64-bit tie-breaker. */
public record IceControlling(long tieBreaker) implements StunAttribute {
  @Override
  public int type() {
    return AttributeType.ICE_CONTROLLING;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return Bytes.ofU64(tieBreaker);
  }

  static IceControlling decode(byte[] buf, int off, int len) throws StunParseException {
    Bytes.requireLength(len, 8, "ICE-CONTROLLING");
    return new IceControlling(Bytes.u64(buf, off));
  }
}
