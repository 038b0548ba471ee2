package org.parley.turn.attribute;

import java.util.Arrays;
import java.util.HexFormat;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/**
 * MESSAGE-INTEGRITY (RFC 8489 section 14.5): the 20-byte HMAC-SHA1 of the message up to this attribute, with the
 * header length counting up to and including it. The encoder computes it; see {@code StunEncoder}.
 */
public final class MessageIntegrity implements StunAttribute {
  public static final int LENGTH = 20;
  private final byte[] hmac;

  public MessageIntegrity(byte[] hmac) {
    if (hmac.length != LENGTH) {
      throw new IllegalArgumentException("HMAC-SHA1 is 20 bytes");
    }
    this.hmac = hmac.clone();
  }

  public byte[] hmac() {
    return hmac.clone();
  }

  @Override
  public int type() {
    return AttributeType.MESSAGE_INTEGRITY;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return hmac.clone();
  }

  static MessageIntegrity decode(byte[] buf, int off, int len) throws StunParseException {
    Bytes.requireLength(len, LENGTH, "MESSAGE-INTEGRITY");
    return new MessageIntegrity(Arrays.copyOfRange(buf, off, off + len));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageIntegrity && Arrays.equals(hmac, ((MessageIntegrity) o).hmac);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hmac);
  }

  @Override
  public String toString() {
    return "MessageIntegrity[" + HexFormat.of().formatHex(hmac) + "]";
  }
}
