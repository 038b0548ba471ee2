package org.parley.turn.attribute;

import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** PRIORITY (RFC 8445 section 7.1.1): the ICE priority of a peer-reflexive candidate, 32 bits. */
public record Priority(long priority) implements StunAttribute {
  public Priority {
    if (priority < 0 || priority > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("priority is unsigned 32 bits");
    }
  }

  @Override
  public int type() {
    return AttributeType.PRIORITY;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return Bytes.ofU32((int) priority);
  }

  static Priority decode(byte[] buf, int off, int len) throws StunParseException {
    Bytes.requireLength(len, 4, "PRIORITY");
    return new Priority(Bytes.u32(buf, off) & 0xFFFFFFFFL);
  }
}
