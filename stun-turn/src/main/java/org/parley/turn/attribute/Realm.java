package org.parley.turn.attribute;

import java.util.Objects;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** REALM (RFC 8489 section 14.9): the realm of long-term credentials, UTF-8, less than 128 characters. */
public record Realm(String value) implements StunAttribute {
  static final int MAX_BYTES = 763;

  public Realm {
    Objects.requireNonNull(value, "value");
    Utf8.encode(value, MAX_BYTES, "REALM");
  }

  @Override
  public int type() {
    return AttributeType.REALM;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return Utf8.encode(value, MAX_BYTES, "REALM");
  }

  static Realm decode(byte[] buf, int off, int len) throws StunParseException {
    return new Realm(Utf8.decode(buf, off, len, MAX_BYTES, "REALM"));
  }
}
