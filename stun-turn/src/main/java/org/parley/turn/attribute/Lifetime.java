package org.parley.turn.attribute;

import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** LIFETIME (RFC 8656 section 18.2): seconds until the allocation expires, unsigned 32 bits. */
public record Lifetime(long seconds) implements StunAttribute {
  public Lifetime {
    if (seconds < 0 || seconds > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("lifetime is an unsigned 32-bit number: " + seconds);
    }
  }

  @Override
  public int type() {
    return AttributeType.LIFETIME;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return Bytes.ofU32((int) seconds);
  }

  static Lifetime decode(byte[] buf, int off, int len) throws StunParseException {
    Bytes.requireLength(len, 4, "LIFETIME");
    return new Lifetime(Bytes.u32(buf, off) & 0xFFFFFFFFL);
  }
}
