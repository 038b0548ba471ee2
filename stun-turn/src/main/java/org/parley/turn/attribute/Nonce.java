package org.parley.turn.attribute;

import java.util.Objects;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/** NONCE (RFC 8489 section 14.10): the server's nonce, less than 128 characters. */
public record Nonce(String value) implements StunAttribute {
  static final int MAX_BYTES = 763;

  public Nonce {
    Objects.requireNonNull(value, "value");
    Utf8.encode(value, MAX_BYTES, "NONCE");
  }

  @Override
  public int type() {
    return AttributeType.NONCE;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return Utf8.encode(value, MAX_BYTES, "NONCE");
  }

  static Nonce decode(byte[] buf, int off, int len) throws StunParseException {
    return new Nonce(Utf8.decode(buf, off, len, MAX_BYTES, "NONCE"));
  }
}
