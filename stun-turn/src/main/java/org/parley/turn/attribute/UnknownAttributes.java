package org.parley.turn.attribute;

import java.util.List;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** UNKNOWN-ATTRIBUTES (RFC 8489 section 14.13): the 16-bit types the server did not understand, in a 420 response. */
public record UnknownAttributes(List<Integer> types) implements StunAttribute {
  public UnknownAttributes {
    types = List.copyOf(types);
    for (int t : types) {
      if (t < 0 || t > 0xFFFF) {
        throw new IllegalArgumentException("attribute type out of range: " + t);
      }
    }
  }

  @Override
  public int type() {
    return AttributeType.UNKNOWN_ATTRIBUTES;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    byte[] out = new byte[2 * types.size()];
    for (int i = 0; i < types.size(); i++) {
      out[2 * i] = (byte) (types.get(i) >> 8);
      out[2 * i + 1] = (byte) (int) types.get(i);
    }
    return out;
  }

  static UnknownAttributes decode(byte[] buf, int off, int len) throws StunParseException {
    if (len % 2 != 0) {
      throw new StunParseException("UNKNOWN-ATTRIBUTES length must be even");
    }
    Integer[] types = new Integer[len / 2];
    for (int i = 0; i < types.length; i++) {
      types[i] = Bytes.u16(buf, off + 2 * i);
    }
    return new UnknownAttributes(List.of(types));
  }
}
