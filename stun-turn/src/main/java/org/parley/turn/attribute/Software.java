package org.parley.turn.attribute;

import java.util.Objects;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** SOFTWARE (RFC 8489 section 14.14): the agent's name and version, less than 128 characters. */
public record Software(String value) implements StunAttribute {
  static final int MAX_BYTES = 763;

  public Software {
    Objects.requireNonNull(value, "value");
    Utf8.encode(value, MAX_BYTES, "SOFTWARE");
  }

  @Override
  public int type() {
    return AttributeType.SOFTWARE;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return Utf8.encode(value, MAX_BYTES, "SOFTWARE");
  }

  static Software decode(byte[] buf, int off, int len) throws StunParseException {
    return new Software(Utf8.decode(buf, off, len, MAX_BYTES, "SOFTWARE"));
  }
}
