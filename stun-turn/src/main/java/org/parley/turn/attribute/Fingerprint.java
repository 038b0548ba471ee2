package org.parley.turn.attribute;

import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/**
 * FINGERPRINT (RFC 8489 section 14.7): CRC-32 (ISO 3309) of the message up to this attribute, XOR-ed with
 * 0x5354554e. Always the last attribute. The encoder computes it.
 */
public record Fingerprint(int crc) implements StunAttribute {
  public static final int XOR_VALUE = 0x5354554e;

  @Override
  public int type() {
    return AttributeType.FINGERPRINT;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return Bytes.ofU32(crc);
  }

  static Fingerprint decode(byte[] buf, int off, int len) throws StunParseException {
    Bytes.requireLength(len, 4, "FINGERPRINT");
    return new Fingerprint(Bytes.u32(buf, off));
  }
}
