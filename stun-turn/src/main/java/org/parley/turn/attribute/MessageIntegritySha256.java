package org.parley.turn.attribute;

import java.util.Arrays;
import java.util.HexFormat;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/**
 * MESSAGE-INTEGRITY-SHA256 (RFC 8489 section 14.6): HMAC-SHA256 of the message up to this attribute, 16 to 32 bytes
 * in multiples of 4 (truncated from the left-most bytes). The encoder computes it with the full 32 bytes.
 */
public final class MessageIntegritySha256 implements StunAttribute {
  public static final int LENGTH = 32;
  private final byte[] hmac;

  public MessageIntegritySha256(byte[] hmac) {
    if (hmac.length < 16 || hmac.length > 32 || hmac.length % 4 != 0) {
      throw new IllegalArgumentException("MESSAGE-INTEGRITY-SHA256 is 16..32 bytes in steps of 4");
    }
    this.hmac = hmac.clone();
  }

  public byte[] hmac() {
    return hmac.clone();
  }

  @Override
  public int type() {
    return AttributeType.MESSAGE_INTEGRITY_SHA256;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return hmac.clone();
  }

  static MessageIntegritySha256 decode(byte[] buf, int off, int len) throws StunParseException {
    if (len < 16 || len > 32 || len % 4 != 0) {
      throw new StunParseException("MESSAGE-INTEGRITY-SHA256 length " + len);
    }
    return new MessageIntegritySha256(Arrays.copyOfRange(buf, off, off + len));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageIntegritySha256 && Arrays.equals(hmac, ((MessageIntegritySha256) o).hmac);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hmac);
  }

  @Override
  public String toString() {
    return "MessageIntegritySha256[" + HexFormat.of().formatHex(hmac) + "]";
  }
}
