package org.parley.turn.attribute;

import java.util.Arrays;
import org.parley.turn.message.TransactionId;

/** Any attribute type this implementation does not model; kept raw so it can be reported or re-encoded. */
public final class UnknownAttribute implements StunAttribute {
  private final int type;
  private final byte[] value;

  public UnknownAttribute(int type, byte[] value) {
    if (type < 0 || type > 0xFFFF) {
      throw new IllegalArgumentException("attribute type is 16 bits");
    }
    this.type = type;
    this.value = value.clone();
  }

  @Override
  public int type() {
    return type;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnknownAttribute
        && ((UnknownAttribute) o).type == type
        && Arrays.equals(value, ((UnknownAttribute) o).value);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return String.format("UnknownAttribute[0x%04x, %d bytes]", type, value.length);
  }
}
