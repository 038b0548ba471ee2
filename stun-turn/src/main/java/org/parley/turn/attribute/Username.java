package org.parley.turn.attribute;

import java.util.Objects;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** USERNAME (RFC 8489 section 14.3): the user name, UTF-8, less than 509 bytes (we accept up to 513 for interop). */
public record Username(String value) implements StunAttribute {
  static final int MAX_BYTES = 513;

  public Username {
    Objects.requireNonNull(value, "value");
    Utf8.encode(value, MAX_BYTES, "USERNAME");
  }

  @Override
  public int type() {
    return AttributeType.USERNAME;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return Utf8.encode(value, MAX_BYTES, "USERNAME");
  }

  static Username decode(byte[] buf, int off, int len) throws StunParseException {
    return new Username(Utf8.decode(buf, off, len, MAX_BYTES, "USERNAME"));
  }
}
